using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Surveillance.Analytics;

/// <summary>
/// A frame's pixels seen by OpenCV as input, without copying them and without a managed wrapper: the native
/// image header and input-array handle are made and freed directly, so looking at a frame allocates nothing
/// on the managed heap. The pixels must stay where they are (pinned) until it is disposed.
/// </summary>
internal readonly struct NativeFrame : IDisposable
{
    private readonly IntPtr _mat;

    private NativeFrame(IntPtr mat, IntPtr input)
    {
        _mat = mat;
        Input = input;
    }

    /// <summary>The native <c>cv::_InputArray*</c> over the frame.</summary>
    public IntPtr Input { get; }

    /// <param name="bgr">Pixels, width × height × 3 bytes, BGR, rows packed; pinned for the lifetime of the view.</param>
    public static unsafe NativeFrame Over(byte* bgr, int width, int height)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(height, width, MatType.CV_8UC3, (IntPtr)bgr, IntPtr.Zero, out var mat));
        try
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(mat, out var input));
            return new NativeFrame(mat, input);
        }
        catch
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(mat));
            throw;
        }
    }

    public void Dispose()
    {
        NativeMethods.HandleException(NativeMethods.core_InputArray_delete(Input));
        NativeMethods.HandleException(NativeMethods.core_Mat_delete(_mat));
    }
}
