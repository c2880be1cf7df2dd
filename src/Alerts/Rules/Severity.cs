namespace Surveillance.Alerts.Rules;

/// <summary>How urgent a rule's events are, as dispatch systems sort them.</summary>
public static class Severity
{
    public const string Info = "info";
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";

    public static IReadOnlyList<string> All { get; } = [Info, Low, Medium, High, Critical];
}
