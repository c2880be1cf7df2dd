using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics;

/// <summary>
/// How a frame was placed into the model's input, so that boxes found in model coordinates can
/// be mapped back: <c>modelX = frameX × ScaleX + PadX</c>.
/// </summary>
public readonly record struct InputGeometry(int FrameWidth, int FrameHeight, float ScaleX, float ScaleY, float PadX, float PadY)
{
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
        new BoundingBox((x1 - PadX) / ScaleX, (y1 - PadY) / ScaleY, (x2 - PadX) / ScaleX, (y2 - PadY) / ScaleY).Clamp(FrameWidth, FrameHeight));
}
