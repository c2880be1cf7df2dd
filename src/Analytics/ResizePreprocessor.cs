using OpenCvSharp;

namespace Surveillance.Analytics;

/// <summary>
/// NanoDet input: the frame stretched to a square, RGB, values 0..1, NCHW (one plane per channel).
/// Allocates nothing per frame.
/// </summary>
public sealed unsafe class ResizePreprocessor : IPreprocessor
{
    private readonly int _size;
    private readonly ReusableMat _resized;
    private readonly ReusableMat _scaled;
    private readonly ReusableMat[] _planes = new ReusableMat[3];

    /// <summary>A preprocessor with an input tensor of its own (batch of one).</summary>
    public ResizePreprocessor(int size)
        : this(size, GC.AllocateArray<float>(3 * size * size, pinned: true), 0)
    {
    }

    /// <summary>A preprocessor that writes image <paramref name="slot"/> of a batch tensor.</summary>
    /// <param name="batch">Whole images, NCHW; pinned (GC.AllocateArray with pinned: true), since OpenCV keeps a pointer into it.</param>
    public ResizePreprocessor(int size, float[] batch, int slot)
    {
        var plane = size * size;
        TensorSlot.Check(batch, slot, 3 * plane);
        _size = size;
        Tensor = batch;
        Shape = [1, 3, size, size];
        _resized = new ReusableMat(new Mat(size, size, MatType.CV_8UC3));
        _scaled = new ReusableMat(new Mat(size, size, MatType.CV_32FC3));
        fixed (float* tensor = batch)
        {
            var image = tensor + slot * 3 * plane;
            for (var c = 0; c < 3; c++)
                _planes[c] = new ReusableMat(Mat.FromPixelData(size, size, MatType.CV_32FC1, (IntPtr)(image + c * plane)));
        }
    }

    public float[] Tensor { get; }

    public long[] Shape { get; }

    public InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        fixed (byte* pixels = bgr)
        {
            using var frame = NativeFrame.Over(pixels, width, height);
            _resized.ResizeFrom(frame, InterpolationFlags.Linear);
        }
        _resized.ConvertInto(_scaled, MatType.CV_32FC3, 1.0 / 255);
        // Planes R, G, B come from BGR channels 2, 1, 0.
        for (var c = 0; c < 3; c++)
            _scaled.ExtractChannelInto(_planes[c], 2 - c);
        return InputGeometry.Stretch(width, height, _size, _size);
    }

    public void Dispose()
    {
        foreach (var plane in _planes)
            plane.Dispose();
        _scaled.Dispose();
        _resized.Dispose();
    }
}
