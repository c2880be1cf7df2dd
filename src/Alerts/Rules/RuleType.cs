namespace Surveillance.Alerts.Rules;

/// <summary>The kinds of rule, as written in configuration and in alerts (<c>ruleType</c>).</summary>
public static class RuleType
{
    /// <summary>Any tracked object of the labels (optionally inside a zone): one event per object for as long as it is seen.</summary>
    public const string Any = "any";

    /// <summary>A tracked object inside a zone, optionally only within a daily time window.</summary>
    public const string Intrusion = "intrusion";

    /// <summary>A tracked object crossing a line, optionally in one direction only.</summary>
    public const string Line = "line";

    /// <summary>A tracked object staying in a zone for at least a number of seconds.</summary>
    public const string Loitering = "loitering";

    /// <summary>At least a number of objects in a zone for at least a number of seconds.</summary>
    public const string Crowd = "crowd";

    /// <summary>A tracked object standing still in a zone for at least a number of seconds (a stopped vehicle).</summary>
    public const string Stopped = "stopped";

    public static IReadOnlyList<string> All { get; } = [Any, Intrusion, Line, Loitering, Crowd, Stopped];

    public static bool NeedsZone(string type) => type is Intrusion or Loitering or Crowd or Stopped;

    public static bool NeedsSeconds(string type) => type is Loitering or Crowd or Stopped;

    /// <summary>What a rule watches when its configuration names no labels.</summary>
    public static IReadOnlyList<string> DefaultLabels(string type) => type switch
    {
        Stopped => ["car", "bus", "truck", "motorcycle"],
        Any => ["person", "bicycle", "car", "motorcycle", "bus", "truck"],
        _ => ["person"],
    };
}
