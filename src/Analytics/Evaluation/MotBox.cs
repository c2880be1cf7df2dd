namespace Surveillance.Analytics.Evaluation;

/// <summary>
/// One line of a MOTChallenge file: a box of object <paramref name="Id"/> in frame <paramref name="Frame"/> (1-based),
/// in pixels of the video; <paramref name="Id"/> is -1 for raw detections.
/// </summary>
public readonly record struct MotBox(int Frame, int Id, double Left, double Top, double Width, double Height, double Confidence = 1)
{
    public double Right => Left + Width;

    public double Bottom => Top + Height;

    /// <summary>Intersection over union, 0 when the boxes do not touch.</summary>
    public double IoU(in MotBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
        if (w <= 0 || h <= 0)
            return 0;
        var intersection = w * h;
        return intersection / (Width * Height + other.Width * other.Height - intersection);
    }
}
