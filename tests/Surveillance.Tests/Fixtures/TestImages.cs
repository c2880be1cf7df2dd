using OpenCvSharp;

namespace Surveillance.Tests.Fixtures;

/// <summary>Real images as the engine sees them: packed BGR24 bytes.</summary>
public static class TestImages
{
    public sealed record BgrImage(byte[] Pixels, int Width, int Height);

    public static BgrImage Load(string path)
    {
        using var mat = Cv2.ImRead(path, ImreadModes.Color);
        if (mat.Empty())
            throw new FileNotFoundException($"Could not read image '{path}'.");
        return ToBgr(mat);
    }

    /// <summary>Frame <paramref name="index"/> (0-based) of a video, decoded by OpenCV.</summary>
    public static BgrImage VideoFrame(string path, int index)
    {
        using var capture = new VideoCapture(path);
        if (!capture.IsOpened())
            throw new InvalidOperationException($"Could not open video '{path}'.");
        using var mat = new Mat();
        for (var i = 0; i <= index; i++)
        {
            if (!capture.Read(mat) || mat.Empty())
                throw new InvalidOperationException($"Video '{path}' ended before frame {index}.");
        }
        return ToBgr(mat);
    }

    public static BgrImage ToBgr(Mat mat)
    {
        using var continuous = mat.IsContinuous() ? mat.Clone() : mat.Clone();
        var pixels = new byte[continuous.Width * continuous.Height * 3];
        System.Runtime.InteropServices.Marshal.Copy(continuous.Data, pixels, 0, pixels.Length);
        return new BgrImage(pixels, continuous.Width, continuous.Height);
    }
}
