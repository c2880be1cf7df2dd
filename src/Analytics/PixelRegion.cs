namespace Surveillance.Analytics;

/// <summary>A rectangle of a frame in whole pixels: where a region detection looks.</summary>
public readonly record struct PixelRegion(int X, int Y, int Width, int Height)
{
    /// <summary>Throws unless the rectangle is non-empty and lies inside a <paramref name="frameWidth"/> × <paramref name="frameHeight"/> frame.</summary>
    public void Check(int frameWidth, int frameHeight)
    {
        if (Width < 1 || Height < 1 || X < 0 || Y < 0 || X + Width > frameWidth || Y + Height > frameHeight)
            throw new InvalidOperationException($"region {this} does not lie inside the {frameWidth}x{frameHeight} frame");
    }
}
