using System.Globalization;

namespace Surveillance.Ingest;

/// <summary>
/// The argument list that makes ffmpeg decode one camera into raw BGR frames on its stdout.
/// Arguments are passed as a list, never through a shell, so nothing in a URL can be interpreted.
/// </summary>
public static class FfmpegArguments
{
    public static IReadOnlyList<string> For(CameraOptions camera, SourceUrl source, IngestOptions ingest)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error" };
        var timeoutMicros = ((long)(ingest.SocketTimeoutSeconds * 1_000_000)).ToString(CultureInfo.InvariantCulture);

        switch (source.Kind)
        {
            case SourceKind.Rtsp:
                var transport = camera.Transport == RtspTransport.Udp ? "udp" : "tcp";
                // -timeout is the RTSP demuxer's socket I/O timeout; without it a silent server hangs ffmpeg forever.
                args.AddRange(["-rtsp_transport", transport, "-timeout", timeoutMicros]);
                break;
            case SourceKind.Rtmp:
            case SourceKind.Http:
                args.AddRange(["-rw_timeout", timeoutMicros]);
                break;
            case SourceKind.File:
                // A file stands in for a live camera: read it at its own pace, over and over.
                args.AddRange(["-re", "-stream_loop", "-1"]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source.Kind, "Unknown source kind.");
        }

        if (source.IsNetwork)
        {
            // Drop what a lossy link mangled instead of decoding garbage, and stamp packets on arrival:
            // cameras' own clocks drift and jump, and 4G reorders and delays.
            args.AddRange(["-fflags", "+discardcorrupt", "-use_wallclock_as_timestamps", "1"]);
        }

        // Scaling inside ffmpeg costs a fraction of piping full-size frames and scaling them here.
        var filter = string.Create(CultureInfo.InvariantCulture,
            $"fps={camera.DetectFps:0.###},scale={camera.DetectWidth}:{camera.DetectHeight}");
        args.AddRange(
        [
            "-i", source.Input,
            "-an", "-sn", "-dn",
            "-vf", filter,
            "-pix_fmt", "bgr24",
            "-f", "rawvideo",
            "pipe:1",
        ]);
        return args;
    }
}
