using System.Numerics;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// A line rule's line: a <see cref="Analytics.Geometry.Segment"/> as configured (<c>"x1,y1 x2,y2"</c>), and
/// which way across it counts as which direction in the picture.
/// </summary>
public sealed class CrossingLine
{
    public const string Format = "two points 'x1,y1 x2,y2' with coordinates between 0 and 1";

    private CrossingLine(Segment segment)
    {
        Segment = segment;
    }

    /// <summary>The line's geometry: sides, distances and whether a path crosses it between its ends.</summary>
    public Segment Segment { get; }

    public static bool TryParse(string? text, out CrossingLine line, out string error)
    {
        line = null!;
        if (!NormalizedPoints.TryParse(text, out var xs, out var ys, out error))
            return false;
        if (xs.Length != 2 || (xs[0] == xs[1] && ys[0] == ys[1]))
        {
            error = $"'{text}' is not a line: {Format}, and the two points must differ";
            return false;
        }
        line = new CrossingLine(new Segment(new Vector2(xs[0], ys[0]), new Vector2(xs[1], ys[1])));
        return true;
    }

    public static CrossingLine Parse(string text) =>
        TryParse(text, out var line, out var error) ? line : throw new FormatException(error);

    /// <summary>
    /// Whether a crossing towards the normal's side (<paramref name="towardsPositive"/>) or away from it
    /// counts for <paramref name="direction"/>, and the direction it is reported as.
    /// </summary>
    public (bool Counts, LineDirection Reported) Judge(bool towardsPositive, LineDirection direction, int width, int height)
    {
        var normal = Segment.Normal(width, height);
        var (nx, ny) = (normal.X, normal.Y);
        var mx = towardsPositive ? nx : -nx;
        var my = towardsPositive ? ny : -ny;
        var reported = MathF.Abs(mx) >= MathF.Abs(my)
            ? (mx > 0 ? LineDirection.Right : LineDirection.Left)
            : (my > 0 ? LineDirection.Down : LineDirection.Up);
        var counts = direction switch
        {
            LineDirection.Right => mx > MinComponent,
            LineDirection.Left => mx < -MinComponent,
            LineDirection.Down => my > MinComponent,
            LineDirection.Up => my < -MinComponent,
            _ => true,
        };
        return (counts, reported);
    }

    /// <summary>
    /// A direction is only meaningful across a line that is not parallel to it: up and down need a line
    /// that is not vertical, left and right one that is not horizontal.
    /// </summary>
    public bool Supports(LineDirection direction, int width, int height)
    {
        var normal = Segment.Normal(width, height);
        var (nx, ny) = (normal.X, normal.Y);
        return direction switch
        {
            LineDirection.Up or LineDirection.Down => MathF.Abs(ny) > MinComponent,
            LineDirection.Left or LineDirection.Right => MathF.Abs(nx) > MinComponent,
            _ => true,
        };
    }

    /// <summary>sin 6°: a line within 6° of the movement's axis cannot be crossed in that direction.</summary>
    private const float MinComponent = 0.1f;
}
