namespace Surveillance.Analytics;

/// <summary>
/// One detected object in the pixel coordinates of the frame that was analysed
/// (<c>X1,Y1</c> top-left, <c>X2,Y2</c> bottom-right).
/// </summary>
public readonly record struct Detection(int ClassId, float Score, float X1, float Y1, float X2, float Y2)
{
    public string Label => CocoClasses.Name(ClassId);

    public float Area => MathF.Max(0, X2 - X1) * MathF.Max(0, Y2 - Y1);

    public float IntersectionOverUnion(in Detection other)
    {
        var w = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        var h = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        if (w <= 0 || h <= 0)
            return 0;
        var intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }
}
