using OpenCvSharp;

namespace Surveillance.Analytics;

/// <summary>
/// YOLOv5 input: the frame scaled to fit the model's input (square, or shaped like the detect frame) with its
/// aspect ratio kept, padded with grey (114) where the shapes differ, RGB, values 0..1, NHWC. Allocates nothing per frame.
/// </summary>
public sealed unsafe class LetterboxPreprocessor : IPreprocessor
{
    public const byte PadValue = 114;

    private readonly int _width;
    private readonly int _height;
    private readonly ReusableMat _canvas;
    private readonly ReusableMat _tensorView;
    private ReusableMat? _imageArea;
    private InputGeometry _geometry;

    /// <summary>A preprocessor for a square input with a tensor of its own (batch of one).</summary>
    public LetterboxPreprocessor(int size)
        : this(size, size)
    {
    }

    /// <summary>A preprocessor with an input tensor of its own (batch of one).</summary>
    public LetterboxPreprocessor(int width, int height)
        : this(width, height, GC.AllocateArray<float>(width * height * 3, pinned: true), 0)
    {
    }

    /// <summary>A preprocessor that writes image <paramref name="slot"/> of a batch tensor.</summary>
    /// <param name="batch">Whole images, NHWC; pinned (GC.AllocateArray with pinned: true), since OpenCV keeps a pointer into it.</param>
    public LetterboxPreprocessor(int width, int height, float[] batch, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        var length = width * height * 3;
        TensorSlot.Check(batch, slot, length);
        (_width, _height) = (width, height);
        Tensor = batch;
        Shape = [1, height, width, 3];
        _canvas = new ReusableMat(new Mat(height, width, MatType.CV_8UC3, Scalar.All(PadValue)));
        fixed (float* tensor = batch)
            _tensorView = new ReusableMat(Mat.FromPixelData(height, width, MatType.CV_32FC3, (IntPtr)(tensor + slot * length)));
    }

    public float[] Tensor { get; }

    public long[] Shape { get; }

    /// <summary>
    /// Places the rectangle <paramref name="region"/> of the frame, scaled to fit, as the whole frame would be placed;
    /// boxes mapped through the geometry it returns are in pixels of the whole frame. Allocates nothing, whatever the
    /// region's size: the picture is scaled straight into the canvas through native views.
    /// </summary>
    public InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height, PixelRegion region)
    {
        FrameSize.Check(bgr, width, height);
        region.Check(width, height);
        var geometry = InputGeometry.Letterbox(region.Width, region.Height, _width, _height);
        if (geometry != _geometry)
        {
            // The last picture placed may have covered more of the canvas: grey again where this one leaves padding.
            _imageArea?.Dispose();
            _imageArea = null;
            _canvas.Mat.SetTo(Scalar.All(PadValue));
            _geometry = geometry;
        }
        var canvas = _canvas.Mat;
        var canvasStep = (int)canvas.Step();
        fixed (byte* pixels = bgr)
        {
            using var source = NativeFrame.Over(pixels + ((long)region.Y * width + region.X) * 3, region.Width, region.Height, width * 3);
            using var target = NativeFrame.OverTarget((byte*)canvas.DataPointer + (int)geometry.PadY * canvasStep + (int)geometry.PadX * 3,
                geometry.ResizedWidth, geometry.ResizedHeight, canvasStep);
            target.ResizeFrom(source, geometry.ResizedWidth, geometry.ResizedHeight, InterpolationFlags.Linear);
        }
        _canvas.ConvertColorInto(_canvas, ColorConversionCodes.BGR2RGB);
        _canvas.ConvertInto(_tensorView, MatType.CV_32FC3, 1.0 / 255);
        return geometry.InFrame(region.X, region.Y, width, height);
    }

    public InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        if (_imageArea is null || _geometry.FrameWidth != width || _geometry.FrameHeight != height)
            PlaceFrame(width, height);

        fixed (byte* pixels = bgr)
        {
            using var frame = NativeFrame.Over(pixels, width, height);
            _imageArea!.ResizeFrom(frame, InterpolationFlags.Linear);
        }
        // The grey padding reads the same in either channel order, so the whole canvas can be swapped in place.
        _canvas.ConvertColorInto(_canvas, ColorConversionCodes.BGR2RGB);
        _canvas.ConvertInto(_tensorView, MatType.CV_32FC3, 1.0 / 255);
        return _geometry;
    }

    private void PlaceFrame(int width, int height)
    {
        _geometry = InputGeometry.Letterbox(width, height, _width, _height);
        _imageArea?.Dispose();
        _canvas.Mat.SetTo(Scalar.All(PadValue));
        _imageArea = new ReusableMat(new Mat(_canvas.Mat, new Rect((int)_geometry.PadX, (int)_geometry.PadY, _geometry.ResizedWidth, _geometry.ResizedHeight)));
    }

    public void Dispose()
    {
        _imageArea?.Dispose();
        _tensorView.Dispose();
        _canvas.Dispose();
    }
}
