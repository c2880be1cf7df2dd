using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics;

/// <summary>
/// How a frame was placed into the model's square input, so that boxes found in model coordinates can
/// be mapped back: <c>modelX = frameX × ScaleX + PadX</c>.
/// </summary>
public readonly record struct InputGeometry(int FrameWidth, int FrameHeight, float ScaleX, float ScaleY, float PadX, float PadY)
{
    public static InputGeometry Letterbox(int frameWidth, int frameHeight, int inputSize)
    {
        var scale = MathF.Min((float)inputSize / frameWidth, (float)inputSize / frameHeight);
        var (resizedWidth, resizedHeight) = ((int)MathF.Round(frameWidth * scale), (int)MathF.Round(frameHeight * scale));
        return new InputGeometry(frameWidth, frameHeight, scale, scale, (inputSize - resizedWidth) / 2, (inputSize - resizedHeight) / 2);
    }

    public static InputGeometry Stretch(int frameWidth, int frameHeight, int inputSize) =>
        new(frameWidth, frameHeight, (float)inputSize / frameWidth, (float)inputSize / frameHeight, 0, 0);

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
