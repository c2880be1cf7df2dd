using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Surveillance.Analytics;

/// <summary>
/// An OpenCV image with its native input and output array handles made once. OpenCvSharp's Cv2 functions
/// wrap their arguments in a new InputArray/OutputArray on every call (and dispose the output's after it),
/// which allocates per frame; calling the native functions with handles made once allocates nothing.
/// Targets must already have the wanted size and type, so that OpenCV never reallocates them.
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

    /// <summary>Resizes a frame into this image, to this image's size.</summary>
    public void ResizeFrom(in NativeFrame frame, InterpolationFlags interpolation)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_resize(
            frame.Input, _output, new Size(Mat.Width, Mat.Height), 0, 0, (int)interpolation));
        GC.KeepAlive(this);
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

    public void GaussianBlurInto(ReusableMat target, int kernel)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_GaussianBlur(_input, target._output, new Size(kernel, kernel), 0, 0, BorderTypes.Default));
        KeepAlive(target);
    }

    public void AbsDiffInto(ReusableMat other, ReusableMat target)
    {
        NativeMethods.HandleException(NativeMethods.core_absdiff(_input, other._input, target._output));
        KeepAlive(target);
        GC.KeepAlive(other);
    }

    public void ThresholdInto(ReusableMat target, double threshold, double maxValue, ThresholdTypes type)
    {
        NativeMethods.HandleException(NativeMethods.imgproc_threshold(_input, target._output, threshold, maxValue, (int)type, out _));
        KeepAlive(target);
    }

    public void AndInto(ReusableMat other, ReusableMat target)
    {
        NativeMethods.HandleException(NativeMethods.core_bitwise_and(_input, other._input, target._output, IntPtr.Zero));
        KeepAlive(target);
        GC.KeepAlive(other);
    }

    public int CountNonZero()
    {
        NativeMethods.HandleException(NativeMethods.core_countNonZero(_input, out var count));
        GC.KeepAlive(this);
        return count;
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
