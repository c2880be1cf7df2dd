namespace Surveillance.Alerts.Reviews;

/// <summary>One action in a review item's history: what was done, the state it left, who did it, when, and why.</summary>
/// <param name="Action"><c>acknowledge</c>, <c>assign</c> or <c>close</c>.</param>
/// <param name="By">The token's name (<c>Api:Tokens:N:Name</c>, else <c>Api:Tokens:N</c>).</param>
public sealed record ReviewEntry(string Action, string State, string By, string? Comment, DateTime At);
