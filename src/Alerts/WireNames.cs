using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;

namespace Surveillance.Alerts;

/// <summary>
/// The names the alert enums have in configuration, alert JSON and MQTT user properties (docs/alert-schema.md):
/// one mapping per enum, used wherever a value leaves or enters the engine as text.
/// </summary>
public static class WireNames
{
    public static string Of(EventPhase phase) => phase switch
    {
        EventPhase.New => "new",
        EventPhase.Update => "update",
        EventPhase.End => "end",
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };

    public static string Of(EventEndReason reason) => reason switch
    {
        EventEndReason.Cleared => "cleared",
        EventEndReason.Lost => "lost",
        EventEndReason.Offline => "offline",
        EventEndReason.Shutdown => "shutdown",
        EventEndReason.Removed => "removed",
        EventEndReason.Disabled => "disabled",
        EventEndReason.Reconfigured => "reconfigured",
        EventEndReason.Handover => "handover",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string Of(RuleType type) => type switch
    {
        RuleType.Any => "any",
        RuleType.Intrusion => "intrusion",
        RuleType.Line => "line",
        RuleType.Loitering => "loitering",
        RuleType.Crowd => "crowd",
        RuleType.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Of(Severity severity) => severity switch
    {
        Severity.Info => "info",
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, null),
    };

    public static string Of(LineDirection direction) => direction switch
    {
        LineDirection.Any => "any",
        LineDirection.Up => "up",
        LineDirection.Down => "down",
        LineDirection.Left => "left",
        LineDirection.Right => "right",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static string Of(LocationSource source) => source switch
    {
        LocationSource.GroundProjected => "ground-projected",
        LocationSource.Camera => "camera",
        LocationSource.VehicleGps => "vehicle-gps",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, null),
    };

    public static bool TryParse(string? text, out RuleType type) => TryParse(text, Of, out type);

    public static bool TryParse(string? text, out Severity severity) => TryParse(text, Of, out severity);

    public static bool TryParse(string? text, out LineDirection direction) => TryParse(text, Of, out direction);

    /// <summary>Every name of an enum, in declaration order, for messages such as "(any, up, down, left, right)".</summary>
    public static string List<T>(Func<T, string> of) where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(of));

    /// <summary>Exactly the wire name (case-sensitive, as configuration has always been read); not for per-frame use.</summary>
    private static bool TryParse<T>(string? text, Func<T, string> of, out T value) where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(of(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
