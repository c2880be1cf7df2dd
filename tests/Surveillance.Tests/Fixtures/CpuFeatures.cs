namespace Surveillance.Tests.Fixtures;

/// <summary>What this machine's CPU offers that changes what a test may expect of it.</summary>
public static class CpuFeatures
{
    /// <summary>
    /// VNNI (AVX-512 VNNI or AVX-VNNI): ONNX Runtime's uint8 × int8 kernels sum in 32 bits. Without it they add pairs of
    /// products in 16 bits, which saturates with full-range (8-bit) weights (models/README.md).
    /// </summary>
    public static bool HasVnni { get; } = File.ReadLines("/proc/cpuinfo")
        .FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1]
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(f => f is "avx512_vnni" or "avx_vnni") ?? false;
}
