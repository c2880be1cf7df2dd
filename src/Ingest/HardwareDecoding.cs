namespace Surveillance.Ingest;

/// <summary>
/// Where ffmpeg decodes the video (<c>-hwaccel</c>). Decoded frames come back to system memory for scaling
/// and detection, so the choice changes what a stream costs in CPU, not what the engine receives.
/// </summary>
public enum HardwareDecoding
{
    /// <summary>Software decoding on the CPU; works everywhere.</summary>
    None,

    /// <summary>NVIDIA NVDEC through CUDA: needs the NVIDIA driver (libcuda, libnvcuvid) and an ffmpeg built with nvdec.</summary>
    Cuda,

    /// <summary>VA-API (Intel and AMD GPUs, /dev/dri).</summary>
    Vaapi,

    /// <summary>Intel Quick Sync Video.</summary>
    Qsv,
}
