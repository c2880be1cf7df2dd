namespace Surveillance.Alerts.Rules;

/// <summary>
/// One rule of one camera, under <c>Cameras:N:Rules:M</c>. Which settings apply depends on <see cref="Type"/>.
/// Type, severity and direction stay text here, as written, so that validation can name a wrong value and list the
/// right ones (<see cref="CameraRuleOptions.Validate"/>); the rules themselves see the enums.
/// </summary>
public sealed class RuleOptions
{
    /// <summary>Names the rule in alerts; unique per camera.</summary>
    public string Name { get; set; } = "";

    /// <summary><c>any</c>, <c>intrusion</c>, <c>line</c>, <c>loitering</c>, <c>crowd</c> or <c>stopped</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>info</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</summary>
    public string Severity { get; set; } = WireNames.Of(Rules.Severity.Medium);

    /// <summary>The zone the rule watches (required for intrusion, loitering, crowd and stopped; optional for any).</summary>
    public string? Zone { get; set; }

    /// <summary>COCO labels the rule applies to; defaults depend on the type (people, or vehicles for stopped).</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>How long the condition must hold before the rule fires (loitering dwell, crowd duration, stopped time).</summary>
    public double? Seconds { get; set; }

    /// <summary>Crowd: the least number of objects in the zone.</summary>
    public int? MinCount { get; set; }

    /// <summary>Line crossing: the line, <c>"x1,y1 x2,y2"</c> in normalised coordinates.</summary>
    public string? Line { get; set; }

    /// <summary>Line crossing: <c>any</c> (default), <c>up</c>, <c>down</c>, <c>left</c> or <c>right</c>, as movement in the picture.</summary>
    public string? Direction { get; set; }

    /// <summary>Intrusion: start of the daily time window, <c>HH:mm</c> in <c>Alerts:TimeZone</c> (e.g. <c>22:00</c>).</summary>
    public string? ActiveFrom { get; set; }

    /// <summary>Intrusion: end of the daily time window, <c>HH:mm</c> (e.g. <c>06:00</c>; a window may span midnight).</summary>
    public string? ActiveTo { get; set; }
}
