using OpenCvSharp;
using Surveillance.Analytics.Scene;

namespace Surveillance.Analytics.Motion;

/// <summary>
/// Cheap motion detection: the frame is shrunk to <see cref="AnalysisWidth"/> pixels wide, turned grey and
/// blurred (so sensor noise and compression artefacts do not count), and compared with the previous frame.
/// Masked areas (swaying trees, a road outside the area of interest) are ignored. All images and their
/// native handles are made once per camera, so a frame allocates nothing.
/// </summary>
public sealed unsafe class MotionDetector : IDisposable
{
    public const int AnalysisWidth = 320;

    private readonly int _threshold;
    private readonly SceneMask _mask;
    private ReusableMat? _small;
    private ReusableMat? _grey;
    private ReusableMat? _previous;
    private ReusableMat? _difference;
    private ReusableMat? _watched;
    private int _frameWidth;
    private int _frameHeight;
    private int _watchedPixels;

    public MotionDetector(int pixelThreshold, SceneMask mask)
    {
        _threshold = pixelThreshold;
        _mask = mask;
    }

    /// <summary>Compares a frame with the one before it.</summary>
    /// <returns>The fraction of the watched picture that changed; 1 for the first frame, which has nothing to compare with.</returns>
    public double Measure(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        var first = _grey is null || width != _frameWidth || height != _frameHeight;
        if (first)
            Allocate(width, height);

        fixed (byte* pixels = bgr)
        {
            using var frame = NativeFrame.Over(pixels, width, height);
            _small!.ResizeFrom(frame, InterpolationFlags.Area);
        }
        _small.ConvertColorInto(_grey!, ColorConversionCodes.BGR2GRAY);
        _grey!.GaussianBlurInto(_grey, 5);

        double changed;
        if (first)
        {
            changed = 1;
        }
        else
        {
            _grey.AbsDiffInto(_previous!, _difference!);
            _difference!.ThresholdInto(_difference, _threshold, 255, ThresholdTypes.Binary);
            if (_watched is not null)
                _difference.AndInto(_watched, _difference);
            changed = _watchedPixels == 0 ? 0 : _difference.CountNonZero() / (double)_watchedPixels;
        }
        (_previous, _grey) = (_grey, _previous);
        return changed;
    }

    /// <summary>Forgets the previous frame (the camera restarted; its next frame is not comparable).</summary>
    public void Reset()
    {
        _grey?.Dispose();
        _grey = null;
    }

    private void Allocate(int width, int height)
    {
        DisposeImages();
        _frameWidth = width;
        _frameHeight = height;
        var smallWidth = Math.Min(AnalysisWidth, width);
        var smallHeight = Math.Max(1, (int)Math.Round(height * (double)smallWidth / width));
        _small = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC3));
        _grey = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _previous = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _difference = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _watched = _mask.IsEmpty ? null : new ReusableMat(_mask.RenderWatched(smallWidth, smallHeight));
        _watchedPixels = _watched?.CountNonZero() ?? smallWidth * smallHeight;
    }

    private void DisposeImages()
    {
        _small?.Dispose();
        _grey?.Dispose();
        _previous?.Dispose();
        _difference?.Dispose();
        _watched?.Dispose();
    }

    public void Dispose() => DisposeImages();
}
