using System.Diagnostics;

namespace Surveillance.EndToEnd;

/// <summary>
/// The benchmark's camera stream: the bundled street video (768×576, 10 fps) as H.264, the codec real
/// cameras send, made once with the real ffmpeg and kept between runs.
/// </summary>
public static class BenchMedia
{
    public static async Task<string> H264Async(string repoRoot, CancellationToken cancellationToken)
    {
        var cache = Path.Combine(Path.GetTempPath(), "surveillance-bench");
        Directory.CreateDirectory(cache);
        var target = Path.Combine(cache, "vtest-h264.mp4");
        if (File.Exists(target))
            return target;

        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true };
        foreach (var arg in new[]
                 {
                     "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-i", Path.Combine(repoRoot, "media", "vtest.avi"),
                     "-an", "-c:v", "libx264", "-preset", "veryfast", "-g", "20", "-pix_fmt", "yuv420p", target + ".tmp.mp4",
                 })
        {
            start.ArgumentList.Add(arg);
        }
        using var ffmpeg = Process.Start(start)!;
        var errors = await ffmpeg.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await ffmpeg.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (ffmpeg.ExitCode != 0)
            throw new InvalidOperationException($"ffmpeg could not transcode vtest.avi: {errors}");
        File.Move(target + ".tmp.mp4", target);
        return target;
    }
}
