using OpenCvSharp;

namespace Surveillance.Analytics;

/// <summary>
/// YOLOv5 input: the frame scaled to fit a square with its aspect ratio kept, padded with grey (114),
/// RGB, values 0..1, NHWC.
/// </summary>
public sealed unsafe class LetterboxPreprocessor : IPreprocessor
{
    public const byte PadValue = 114;

    private readonly int _size;
    private readonly Mat _canvas;
    private readonly Mat _tensorView;
    private Mat? _imageArea;
    private InputGeometry _geometry;

    public LetterboxPreprocessor(int size)
    {
        _size = size;
        Tensor = GC.AllocateArray<float>(size * size * 3, pinned: true);
        Shape = [1, size, size, 3];
        _canvas = new Mat(size, size, MatType.CV_8UC3, Scalar.All(PadValue));
        fixed (float* tensor = Tensor)
            _tensorView = Mat.FromPixelData(size, size, MatType.CV_32FC3, (IntPtr)tensor);
    }

    public float[] Tensor { get; }

    public long[] Shape { get; }

    public InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        if (_imageArea is null || _geometry.FrameWidth != width || _geometry.FrameHeight != height)
            PlaceFrame(width, height);

        fixed (byte* pixels = bgr)
        {
            using var source = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)pixels);
            Cv2.Resize(source, _imageArea!, new Size(_geometry.ResizedWidth, _geometry.ResizedHeight), 0, 0, InterpolationFlags.Linear);
        }
        // The grey padding reads the same in either channel order, so the whole canvas can be swapped in place.
        Cv2.CvtColor(_canvas, _canvas, ColorConversionCodes.BGR2RGB);
        _canvas.ConvertTo(_tensorView, MatType.CV_32FC3, 1.0 / 255);
        return _geometry;
    }

    private void PlaceFrame(int width, int height)
    {
        _geometry = InputGeometry.Letterbox(width, height, _size);
        _imageArea?.Dispose();
        _canvas.SetTo(Scalar.All(PadValue));
        _imageArea = new Mat(_canvas, new Rect((int)_geometry.PadX, (int)_geometry.PadY, _geometry.ResizedWidth, _geometry.ResizedHeight));
    }

    public void Dispose()
    {
        _imageArea?.Dispose();
        _tensorView.Dispose();
        _canvas.Dispose();
    }
}
