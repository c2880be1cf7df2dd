using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics;

/// <summary>One detected object, its box in the pixel coordinates of the frame that was analysed.</summary>
public readonly record struct Detection(int ClassId, float Score, BoundingBox Box)
{
    /// <param name="x1">Left edge.</param>
    /// <param name="y1">Top edge.</param>
    /// <param name="x2">Right edge.</param>
    /// <param name="y2">Bottom edge.</param>
    public Detection(int classId, float score, float x1, float y1, float x2, float y2)
        : this(classId, score, new BoundingBox(x1, y1, x2, y2))
    {
    }

    public string Label => CocoClasses.Name(ClassId);
}
