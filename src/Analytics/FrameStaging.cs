using OpenCvSharp;

namespace Surveillance.Analytics;

/// <summary>
/// A pinned OpenCV image that frames are copied into before preprocessing. Wrapping each frame's own buffer
/// would make OpenCvSharp allocate a Mat per frame; one copy into an image wrapped once allocates nothing.
/// </summary>
internal sealed class FrameStaging : IDisposable
{
    private ReusableMat? _image;

    /// <summary>Copies the frame in and returns it as an OpenCV image; valid until the next call.</summary>
    public ReusableMat Load(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        if (_image is null || _image.Mat.Width != width || _image.Mat.Height != height)
        {
            _image?.Dispose();
            _image = new ReusableMat(new Mat(height, width, MatType.CV_8UC3));
        }
        bgr[..(width * height * 3)].CopyTo(_image.Mat.AsSpan<byte>());
        return _image;
    }

    public void Dispose()
    {
        _image?.Dispose();
        _image = null;
    }
}
