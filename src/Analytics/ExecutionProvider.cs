namespace Surveillance.Analytics;

/// <summary>Where ONNX Runtime runs the model.</summary>
public enum ExecutionProvider
{
    /// <summary>The CPU; every build has it.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA; needs the GPU build of ONNX Runtime, CUDA 13 and cuDNN 9.</summary>
    Cuda,

    /// <summary>An NVIDIA GPU through TensorRT (CUDA takes what TensorRT cannot); needs TensorRT 10 besides.</summary>
    TensorRt,
}
