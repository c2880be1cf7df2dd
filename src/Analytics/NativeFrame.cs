using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Surveillance.Analytics;

/// <summary>
/// A frame's pixels (or a rectangle of them) seen by OpenCV, without copying them and without a managed wrapper: the
/// native image header and array handles are made and freed directly, so looking at a frame allocates nothing on the
/// managed heap. The pixels must stay where they are (pinned) until it is disposed.
/// </summary>
internal readonly struct NativeFrame : IDisposable
{
    private readonly IntPtr _mat;

    private NativeFrame(IntPtr mat, IntPtr input, IntPtr output)
    {
        _mat = mat;
        Input = input;
        Output = output;
    }

    /// <summary>The native <c>cv::_InputArray*</c> over the pixels.</summary>
    public IntPtr Input { get; }

    /// <summary>The native <c>cv::_OutputArray*</c> over the pixels, for a view made with <see cref="OverTarget"/>; zero otherwise.</summary>
    public IntPtr Output { get; }

    /// <param name="bgr">Pixels, width × height × 3 bytes, BGR, rows packed; pinned for the lifetime of the view.</param>
    public static unsafe NativeFrame Over(byte* bgr, int width, int height) => Over(bgr, width, height, width * 3, MatType.CV_8UC3, target: false);

    /// <summary>A <paramref name="width"/> × <paramref name="height"/> rectangle of BGR rows <paramref name="step"/> bytes apart, starting at <paramref name="first"/>.</summary>
    public static unsafe NativeFrame Over(byte* first, int width, int height, int step) => Over(first, width, height, step, MatType.CV_8UC3, target: false);

    /// <summary>A rectangle of BGR pixels to write into: OpenCV writes in place, since the size and type are already right.</summary>
    public static unsafe NativeFrame OverTarget(byte* first, int width, int height, int step) => Over(first, width, height, step, MatType.CV_8UC3, target: true);

    private static unsafe NativeFrame Over(byte* first, int width, int height, int step, MatType type, bool target)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(height, width, type, (IntPtr)first, (IntPtr)step, out var mat));
        var (input, output) = (IntPtr.Zero, IntPtr.Zero);
        try
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(mat, out input));
            if (target)
                NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(mat, out output));
            return new NativeFrame(mat, input, output);
        }
        catch
        {
            if (input != IntPtr.Zero)
                NativeMethods.HandleException(NativeMethods.core_InputArray_delete(input));
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(mat));
            throw;
        }
    }

    /// <summary>Resizes <paramref name="source"/> into this view, to this view's size.</summary>
    public void ResizeFrom(in NativeFrame source, int width, int height, InterpolationFlags interpolation) =>
        NativeMethods.HandleException(NativeMethods.imgproc_resize(source.Input, Output, new Size(width, height), 0, 0, (int)interpolation));

    public void Dispose()
    {
        if (Output != IntPtr.Zero)
            NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(Output));
        NativeMethods.HandleException(NativeMethods.core_InputArray_delete(Input));
        NativeMethods.HandleException(NativeMethods.core_Mat_delete(_mat));
    }
}
