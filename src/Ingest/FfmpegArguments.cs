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

        switch (source.Kind)
        {
            case SourceKind.Rtsp:
                var timeoutMicros = (long)(ingest.SocketTimeoutSeconds * 1_000_000);
                args.AddRange(["-rtsp_transport", "tcp", "-timeout", timeoutMicros.ToString(CultureInfo.InvariantCulture)]);
                break;
            case SourceKind.File:
                // A file stands in for a live camera: read it at its own pace, over and over.
                args.AddRange(["-re", "-stream_loop", "-1"]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source.Kind, "Unknown source kind.");
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
