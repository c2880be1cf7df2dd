using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics;

/// <summary>
/// How a frame, or a region of it, was placed into the model's input, so that boxes found in model coordinates can
/// be mapped back: <c>modelX = (frameX − OffsetX) × ScaleX + PadX</c>. <see cref="FrameWidth"/> and
/// <see cref="FrameHeight"/> are the size of what was placed (the region's, for a region).
/// </summary>
public readonly record struct InputGeometry(int FrameWidth, int FrameHeight, float ScaleX, float ScaleY, float PadX, float PadY)
{
    /// <summary>Where the placed region starts in the whole frame; 0 for a whole frame.</summary>
    public int OffsetX { get; init; }

    public int OffsetY { get; init; }

    /// <summary>The whole frame's size, to which mapped boxes are clipped; that of the placed image for a whole frame.</summary>
    public int SourceWidth { get; init; }

    public int SourceHeight { get; init; }

    /// <summary>This placement, of a region at (<paramref name="x"/>, <paramref name="y"/>) of a <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> frame.</summary>
    public InputGeometry InFrame(int x, int y, int sourceWidth, int sourceHeight) =>
        this with { OffsetX = x, OffsetY = y, SourceWidth = sourceWidth, SourceHeight = sourceHeight };

    /// <summary>
    /// The frame scaled to fit <paramref name="inputWidth"/> × <paramref name="inputHeight"/> with its aspect ratio
    /// kept, centred; no padding where the frame has the input's shape.
    /// </summary>
    public static InputGeometry Letterbox(int frameWidth, int frameHeight, int inputWidth, int inputHeight)
    {
        var scale = MathF.Min((float)inputWidth / frameWidth, (float)inputHeight / frameHeight);
        var (resizedWidth, resizedHeight) = ((int)MathF.Round(frameWidth * scale), (int)MathF.Round(frameHeight * scale));
        return new InputGeometry(frameWidth, frameHeight, scale, scale, (inputWidth - resizedWidth) / 2, (inputHeight - resizedHeight) / 2);
    }

    public static InputGeometry Stretch(int frameWidth, int frameHeight, int inputWidth, int inputHeight) =>
        new(frameWidth, frameHeight, (float)inputWidth / frameWidth, (float)inputHeight / frameHeight, 0, 0);

    /// <summary>Width of the frame's image inside the model input.</summary>
    public int ResizedWidth => (int)MathF.Round(FrameWidth * ScaleX);

    /// <summary>Height of the frame's image inside the model input.</summary>
    public int ResizedHeight => (int)MathF.Round(FrameHeight * ScaleY);

    /// <summary>Maps a box from model-input coordinates to frame pixels, clipped to the frame.</summary>
    public Detection ToFrame(int classId, float score, float x1, float y1, float x2, float y2) => new(
        classId,
        score,
        new BoundingBox((x1 - PadX) / ScaleX + OffsetX, (y1 - PadY) / ScaleY + OffsetY, (x2 - PadX) / ScaleX + OffsetX, (y2 - PadY) / ScaleY + OffsetY)
            .Clamp(SourceWidth > 0 ? SourceWidth : FrameWidth, SourceHeight > 0 ? SourceHeight : FrameHeight));
}
