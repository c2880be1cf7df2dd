namespace Surveillance.Alerts.Rules;

/// <summary>How urgent a rule's events are, as dispatch systems sort them; least urgent first.</summary>
public enum Severity
{
    Info,
    Low,
    Medium,
    High,
    Critical,
}
