using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Surveillance.Ingest;

/// <summary>
/// Enlarges the kernel buffer of the pipe a decoder writes frames into. With Linux's default 64 KiB a
/// 640×480 frame does not fit, so ffmpeg blocks about 15 times per frame until the engine has read on;
/// with room for a whole frame it writes without waiting.
/// </summary>
internal static partial class PipeCapacity
{
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const string MaxSizeFile = "/proc/sys/fs/pipe-max-size";

    /// <returns>The pipe's capacity now, or null where it could not be changed (not Linux, not a pipe, refused).</returns>
    public static int? TryEnlarge(Stream pipe, int wanted)
    {
        if (!OperatingSystem.IsLinux() || pipe is not PipeStream { SafePipeHandle: var handle })
            return null;
        var result = Fcntl(handle, SetPipeSize, Math.Min(wanted, MaxSize()));
        return result < 0 ? null : result;
    }

    /// <summary>The largest pipe an unprivileged process may ask for (1 MiB unless the administrator changed it).</summary>
    private static int MaxSize()
    {
        try
        {
            return int.Parse(File.ReadAllText(MaxSizeFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 1 << 20;
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafePipeHandle fd, int command, int argument);
}
