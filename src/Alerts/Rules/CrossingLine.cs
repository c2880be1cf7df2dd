using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// A line segment from A to B in normalised coordinates, and the geometry of crossing it. Sides are
/// judged in pixels, so a slanted line means the same on a 16:9 as on a 4:3 picture.
/// </summary>
public sealed class CrossingLine
{
    public const string Format = "two points 'x1,y1 x2,y2' with coordinates between 0 and 1";

    private CrossingLine(float ax, float ay, float bx, float by)
    {
        Ax = ax;
        Ay = ay;
        Bx = bx;
        By = by;
    }

    public float Ax { get; }

    public float Ay { get; }

    public float Bx { get; }

    public float By { get; }

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
        line = new CrossingLine(xs[0], ys[0], xs[1], ys[1]);
        return true;
    }

    public static CrossingLine Parse(string text) =>
        TryParse(text, out var line, out var error) ? line : throw new FormatException(error);

    /// <summary>
    /// The unit normal of the line in a picture of the given size: moving along it takes an object from
    /// the negative to the positive side.
    /// </summary>
    public (float X, float Y) Normal(int width, int height)
    {
        var dx = (Bx - Ax) * width;
        var dy = (By - Ay) * height;
        var length = MathF.Sqrt(dx * dx + dy * dy);
        return (-dy / length, dx / length);
    }

    /// <summary>Signed distance in pixels of a pixel point from the line (positive on the normal's side).</summary>
    public float SignedDistance(float x, float y, int width, int height)
    {
        var (nx, ny) = Normal(width, height);
        return (x - Ax * width) * nx + (y - Ay * height) * ny;
    }

    /// <summary>Whether the path from one pixel point to another passes between A and B (not beyond either end).</summary>
    public bool PathCrossesSegment(float fromX, float fromY, float toX, float toY, int width, int height)
    {
        float ax = Ax * width, ay = Ay * height, bx = Bx * width, by = By * height;
        var px = toX - fromX;
        var py = toY - fromY;
        var lx = bx - ax;
        var ly = by - ay;
        var denominator = px * ly - py * lx;
        if (denominator == 0)
            return false;
        // Where along A→B the path meets the line: 0 at A, 1 at B.
        var u = (px * (ay - fromY) - py * (ax - fromX)) / -denominator;
        return u is >= 0 and <= 1;
    }

    /// <summary>
    /// Whether a crossing towards the normal's side (<paramref name="towardsPositive"/>) or away from it
    /// counts for <paramref name="direction"/>, and the direction it is reported as.
    /// </summary>
    public (bool Counts, string Reported) Judge(bool towardsPositive, string direction, int width, int height)
    {
        var (nx, ny) = Normal(width, height);
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
    public bool Supports(string direction, int width, int height)
    {
        var (nx, ny) = Normal(width, height);
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
