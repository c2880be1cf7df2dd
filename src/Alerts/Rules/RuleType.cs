namespace Surveillance.Alerts.Rules;

/// <summary>The kinds of rule; written in configuration and in alerts (<c>ruleType</c>) by their <see cref="WireNames"/>.</summary>
public enum RuleType
{
    /// <summary>Any tracked object of the labels (optionally inside a zone): one event per object for as long as it is seen.</summary>
    Any,

    /// <summary>A tracked object inside a zone, optionally only within a daily time window.</summary>
    Intrusion,

    /// <summary>A tracked object crossing a line, optionally in one direction only.</summary>
    Line,

    /// <summary>A tracked object staying in a zone for at least a number of seconds.</summary>
    Loitering,

    /// <summary>At least a number of objects in a zone for at least a number of seconds.</summary>
    Crowd,

    /// <summary>A tracked object standing still in a zone for at least a number of seconds (a stopped vehicle).</summary>
    Stopped,
}

/// <summary>What each kind of rule needs and watches.</summary>
public static class RuleTypeExtensions
{
    public static bool NeedsZone(this RuleType type) => type is RuleType.Intrusion or RuleType.Loitering or RuleType.Crowd or RuleType.Stopped;

    public static bool NeedsSeconds(this RuleType type) => type is RuleType.Loitering or RuleType.Crowd or RuleType.Stopped;

    /// <summary>What a rule watches when its configuration names no labels.</summary>
    public static IReadOnlyList<string> DefaultLabels(this RuleType type) => type switch
    {
        RuleType.Stopped => ["car", "bus", "truck", "motorcycle"],
        RuleType.Any => ["person", "bicycle", "car", "motorcycle", "bus", "truck"],
        _ => ["person"],
    };
}
