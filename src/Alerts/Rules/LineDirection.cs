namespace Surveillance.Alerts.Rules;

/// <summary>Which way across a line counts, as movement in the picture.</summary>
public static class LineDirection
{
    public const string Any = "any";
    public const string Up = "up";
    public const string Down = "down";
    public const string Left = "left";
    public const string Right = "right";

    public static IReadOnlyList<string> All { get; } = [Any, Up, Down, Left, Right];
}
