using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Surveillance.Analytics;

/// <summary>
/// An OpenCV image with its native input and output array handles made once. OpenCvSharp's Cv2 functions
/// wrap their arguments in a new InputArray/OutputArray on every call (and dispose the output's after it),
/// which allocates per frame; calling the native functions with handles made once allocates nothing.
/// </summary>
internal sealed class ReusableMat : IDisposable
{
    private readonly IntPtr _input;
    private readonly IntPtr _output;

    public ReusableMat(Mat mat)
    {
        Mat = mat;
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(mat.CvPtr, out _input));
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(mat.CvPtr, out _output));
    }

    public Mat Mat { get; }

    /// <summary>Bilinear resize into <paramref name="target"/>, whose size must already be the wanted one (so that OpenCV never reallocates it).</summary>
    public void ResizeInto(ReusableMat target)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_resize(
            _input, target._output, new Size(target.Mat.Width, target.Mat.Height), 0, 0, (int)InterpolationFlags.Linear));
        KeepAlive(target);
    }

    public void ConvertColorInto(ReusableMat target, ColorConversionCodes code)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_cvtColor(_input, target._output, (int)code, 0));
        KeepAlive(target);
    }

    public void ConvertInto(ReusableMat target, MatType type, double scale)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_convertTo(Mat.CvPtr, target._output, type, scale, 0));
        KeepAlive(target);
    }

    public void ExtractChannelInto(ReusableMat target, int channel)
    {
        NativeMethods.HandleException(NativeMethods.core_extractChannel(_input, target._output, channel));
        KeepAlive(target);
    }

    private void KeepAlive(ReusableMat target)
    {
        GC.KeepAlive(this);
        GC.KeepAlive(target);
    }

    public void Dispose()
    {
        NativeMethods.HandleException(NativeMethods.core_OutputArray_delete(_output));
        NativeMethods.HandleException(NativeMethods.core_InputArray_delete(_input));
        Mat.Dispose();
    }
}
