namespace Surveillance.Alerts.Reviews;

/// <summary>Where an operator stands with a review item, as the API and the reviews topic write it.</summary>
public static class ReviewState
{
    public const string New = "new";
    public const string Acknowledged = "acknowledged";
    public const string Assigned = "assigned";
    public const string Handled = "handled";
    public const string FalseAlarm = "false-alarm";

    public static readonly IReadOnlyList<string> All = [New, Acknowledged, Assigned, Handled, FalseAlarm];

    /// <summary>Closed items take no more events: the camera's next event opens a new item.</summary>
    public static bool IsClosed(string state) => state is Handled or FalseAlarm;
}
