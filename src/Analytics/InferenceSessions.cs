using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics;

/// <summary>Opens a detector's ONNX Runtime session on the configured execution provider.</summary>
public static class InferenceSessions
{
    /// <summary>How to get a GPU build, for messages that tell an operator what to do.</summary>
    public const string GpuBuildHint =
        "build the engine with '-p:OnnxRuntime=Gpu' (ONNX Runtime for CUDA) on a machine with the NVIDIA driver, CUDA 13 and cuDNN 9 (TensorRT 10 for TensorRt)";

    private static readonly Dictionary<ExecutionProvider, string> ProviderNames = new()
    {
        [ExecutionProvider.Cpu] = "CPUExecutionProvider",
        [ExecutionProvider.Cuda] = "CUDAExecutionProvider",
        [ExecutionProvider.TensorRt] = "TensorrtExecutionProvider",
    };

    /// <summary>The providers this build of ONNX Runtime carries (not whether their libraries load).</summary>
    public static IReadOnlyList<string> Available() => OrtEnv.Instance().GetAvailableProviders();

    /// <summary>Why <paramref name="provider"/> cannot be used by this build, or null when it can.</summary>
    public static string? Unavailable(ExecutionProvider provider)
    {
        var available = Available();
        return available.Contains(ProviderNames[provider])
            ? null
            : $"'{provider}' is not in this build of ONNX Runtime (it has {string.Join(", ", available)}): {GpuBuildHint}";
    }

    public static InferenceSession Open(DetectorOptions options)
    {
        if (!File.Exists(options.Model))
            throw new FileNotFoundException($"Model file '{options.Model}' does not exist.", options.Model);
        if (Unavailable(options.ExecutionProvider) is { } reason)
            throw new DetectorSettingException($"Detector:ExecutionProvider: {reason}.");

        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.EffectiveThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.SpinWait ? "1" : "0");
        try
        {
            // Providers are tried in the order appended; each leaves the nodes it cannot run to the next, CPU last.
            if (options.ExecutionProvider == ExecutionProvider.TensorRt)
                sessionOptions.AppendExecutionProvider_Tensorrt(options.DeviceId);
            if (options.ExecutionProvider is ExecutionProvider.TensorRt or ExecutionProvider.Cuda)
                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
            return new InferenceSession(options.Model, sessionOptions);
        }
        catch (OnnxRuntimeException e) when (options.ExecutionProvider != ExecutionProvider.Cpu)
        {
            throw new DetectorSettingException(
                $"Detector:ExecutionProvider: '{options.ExecutionProvider}' on GPU {options.DeviceId} could not be started " +
                $"(are the NVIDIA driver, CUDA 13 and cuDNN 9 installed and the GPU visible?): {e.Message}", e);
        }
    }
}
