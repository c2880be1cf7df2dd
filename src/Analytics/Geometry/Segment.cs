using System.Numerics;

namespace Surveillance.Analytics.Geometry;

/// <summary>
/// A line segment from <see cref="A"/> to <see cref="B"/> in normalised coordinates, and the geometry of crossing
/// it. Sides and distances are judged in pixels of a frame of a given size, so a slanted line means the same on a
/// 16:9 as on a 4:3 picture.
/// </summary>
public readonly record struct Segment(Vector2 A, Vector2 B)
{
    /// <summary>
    /// The unit normal in a frame of that size: moving along it takes a point from the negative to the positive
    /// side. With A above B it points left; with A left of B it points down (y grows downwards).
    /// </summary>
    public Vector2 Normal(int width, int height)
    {
        var dx = (B.X - A.X) * width;
        var dy = (B.Y - A.Y) * height;
        var length = MathF.Sqrt(dx * dx + dy * dy);
        return new(-dy / length, dx / length);
    }

    /// <summary>Signed distance in pixels of a pixel point from the (infinite) line, positive on the normal's side.</summary>
    public float SignedDistance(Vector2 point, int width, int height)
    {
        var normal = Normal(width, height);
        return (point.X - A.X * width) * normal.X + (point.Y - A.Y * height) * normal.Y;
    }

    /// <summary>
    /// Which side of the line a pixel point is clearly on: +1 (the normal's side) or -1, or 0 within
    /// <paramref name="margin"/> pixels of the line, where jitter must not count as a side.
    /// </summary>
    public sbyte Side(Vector2 point, float margin, int width, int height)
    {
        var distance = SignedDistance(point, width, height);
        if (MathF.Abs(distance) < margin)
            return 0;
        return (sbyte)(distance > 0 ? 1 : -1);
    }

    /// <summary>
    /// Whether the path between two pixel points meets the line between A and B (not beyond either end). Whether
    /// the path's ends lie on opposite sides is <see cref="Side"/>'s question; a path parallel to the line crosses nothing.
    /// </summary>
    public bool IsCrossedBy(Vector2 from, Vector2 to, int width, int height)
    {
        float ax = A.X * width, ay = A.Y * height, bx = B.X * width, by = B.Y * height;
        var px = to.X - from.X;
        var py = to.Y - from.Y;
        var lx = bx - ax;
        var ly = by - ay;
        var denominator = px * ly - py * lx;
        if (denominator == 0)
            return false;
        // Where along A→B the path meets the line: 0 at A, 1 at B.
        var u = (px * (ay - from.Y) - py * (ax - from.X)) / -denominator;
        return u is >= 0 and <= 1;
    }
}
