using System.Security.Cryptography;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// vtest.avi is MS-MPEG4v3, which RTSP does not carry; the tests serve an H.264 copy made once per run with
/// the real ffmpeg.
/// </summary>
public static class TestVideo
{
    private static readonly Lazy<Task<string>> H264 = new(() => TranscodeAsync(loops: 1));
    private static readonly Lazy<Task<string>> LongH264 = new(() => TranscodeAsync(loops: 8));

    /// <summary>vtest.avi as H.264 in MP4, a key frame every second.</summary>
    public static Task<string> VtestH264Async() => H264.Value;

    /// <summary>
    /// vtest.avi eight times over (10.6 minutes): for tests that must tell a camera restarted by the engine from one
    /// whose stream ended, since the RTSP server does not loop.
    /// </summary>
    public static Task<string> LongVtestH264Async() => LongH264.Value;

    private static async Task<string> TranscodeAsync(int loops)
    {
        // Kept between runs, keyed by the source's content (every fresh clone gives it a new time, and a key with
        // the time left one more copy per clone), and written under another name first, so a run that was killed
        // halfway never leaves a truncated file behind for the next one.
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "surveillance-test-media")).FullName;
        string digest;
        await using (var source = File.OpenRead(RepoPaths.VtestAvi))
            digest = Convert.ToHexStringLower(await SHA256.HashDataAsync(source))[..16];
        var cached = Path.Combine(directory, loops == 1 ? $"vtest-h264-{digest}.mp4" : $"vtest-h264-x{loops}-{digest}.mp4");
        if (File.Exists(cached))
            return cached;

        var output = Path.Combine(directory, $"partial-{Guid.NewGuid():N}.mp4");
        await using var ffmpeg = await ChildProcess.StartAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-stream_loop", (loops - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "-i", RepoPaths.VtestAvi,
             "-an", "-c:v", "libx264", "-preset", "veryfast", "-g", "10", "-pix_fmt", "yuv420p", output],
            readyLine: null, TimeSpan.FromSeconds(5));
        var exitCode = await ffmpeg.WaitForExitAsync(TimeSpan.FromSeconds(120 * loops));
        if (exitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            throw new InvalidOperationException($"ffmpeg did not transcode vtest.avi: {ffmpeg.Output}");
        File.Move(output, cached, overwrite: true);
        return cached;
    }
}
