namespace Surveillance.Alerts.Rules;

/// <summary>Which way across a line counts, as movement in the picture; a crossing is reported as one of the four others.</summary>
public enum LineDirection
{
    Any,
    Up,
    Down,
    Left,
    Right,
}
