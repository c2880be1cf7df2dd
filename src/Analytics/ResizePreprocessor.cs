using OpenCvSharp;

namespace Surveillance.Analytics;

/// <summary>NanoDet input: the frame stretched to a square, RGB, values 0..1, NCHW (one plane per channel).</summary>
public sealed unsafe class ResizePreprocessor : IPreprocessor
{
    private readonly int _size;
    private readonly Mat _resized;
    private readonly Mat _scaled;
    private readonly Mat[] _planes;

    public ResizePreprocessor(int size)
    {
        _size = size;
        Tensor = GC.AllocateArray<float>(3 * size * size, pinned: true);
        Shape = [1, 3, size, size];
        _resized = new Mat(size, size, MatType.CV_8UC3);
        _scaled = new Mat(size, size, MatType.CV_32FC3);
        _planes = new Mat[3];
        fixed (float* tensor = Tensor)
        {
            for (var c = 0; c < 3; c++)
                _planes[c] = Mat.FromPixelData(size, size, MatType.CV_32FC1, (IntPtr)(tensor + c * size * size));
        }
    }

    public float[] Tensor { get; }

    public long[] Shape { get; }

    public InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        fixed (byte* pixels = bgr)
        {
            using var source = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)pixels);
            Cv2.Resize(source, _resized, new Size(_size, _size), 0, 0, InterpolationFlags.Linear);
        }
        _resized.ConvertTo(_scaled, MatType.CV_32FC3, 1.0 / 255);
        // Planes R, G, B come from BGR channels 2, 1, 0.
        for (var c = 0; c < 3; c++)
            Cv2.ExtractChannel(_scaled, _planes[c], 2 - c);
        return InputGeometry.Stretch(width, height, _size);
    }

    public void Dispose()
    {
        foreach (var plane in _planes)
            plane.Dispose();
        _scaled.Dispose();
        _resized.Dispose();
    }
}
