using System.Numerics;

namespace Surveillance.Analytics.Geometry;

/// <summary>
/// An axis-aligned box, <c>X1,Y1</c> top-left and <c>X2,Y2</c> bottom-right (y grows downwards): the one box
/// of detections, tracks, rules, events and snapshots. In frame pixels unless it says otherwise; <see cref="ToNormalized"/>
/// and <see cref="ToPixels"/> move it between pixels and normalised coordinates (0,0 top-left, 1,1 bottom-right).
/// A readonly struct, so the per-frame loops that pass boxes around allocate nothing.
/// </summary>
public readonly record struct BoundingBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>The box of that size around a centre.</summary>
    public static BoundingBox FromCentre(float centreX, float centreY, float width, float height) =>
        new(centreX - width / 2, centreY - height / 2, centreX + width / 2, centreY + height / 2);

    public float Width => X2 - X1;

    public float Height => Y2 - Y1;

    /// <summary>Zero for an empty or inverted box.</summary>
    public float Area => MathF.Max(0, X2 - X1) * MathF.Max(0, Y2 - Y1);

    public Vector2 Centre => new((X1 + X2) / 2, (Y1 + Y2) / 2);

    /// <summary>Where the object touches the ground: the middle of the bottom edge, the point zones and lines judge.</summary>
    public Vector2 FootPoint => new((X1 + X2) / 2, Y2);

    /// <summary>
    /// The foot point of a pixel box in normalised coordinates of a frame of that size. Taken in pixels first,
    /// then divided, so it is the same number whichever path (mask, zone, ground projection) asks for it.
    /// </summary>
    public Vector2 NormalizedFootPoint(int frameWidth, int frameHeight) => new((X1 + X2) / 2 / frameWidth, Y2 / frameHeight);

    /// <summary>Overlap ÷ combined area: 1 for the same box, 0 for boxes that do not overlap (or only touch).</summary>
    public float IntersectionOverUnion(in BoundingBox other)
    {
        var w = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        var h = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
            return 0;
        var intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }

    /// <summary>The smallest box holding both.</summary>
    public BoundingBox Union(in BoundingBox other) =>
        new(MathF.Min(X1, other.X1), MathF.Min(Y1, other.Y1), MathF.Max(X2, other.X2), MathF.Max(Y2, other.Y2));

    /// <summary>The box cut to a frame of that size (every edge between 0 and the frame's width or height).</summary>
    public BoundingBox Clamp(float width, float height) =>
        new(Math.Clamp(X1, 0, width), Math.Clamp(Y1, 0, height), Math.Clamp(X2, 0, width), Math.Clamp(Y2, 0, height));

    /// <summary>This pixel box as fractions of a frame of that size.</summary>
    public BoundingBox ToNormalized(int frameWidth, int frameHeight) =>
        new(X1 / frameWidth, Y1 / frameHeight, X2 / frameWidth, Y2 / frameHeight);

    /// <summary>This normalised box in pixels of a frame of that size.</summary>
    public BoundingBox ToPixels(int frameWidth, int frameHeight) =>
        new(X1 * frameWidth, Y1 * frameHeight, X2 * frameWidth, Y2 * frameHeight);
}
