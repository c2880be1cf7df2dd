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

        // Without it the decoder threads across frames and holds one frame per extra thread before the first comes
        // out: on a 2-core machine 2 frames (200 ms at 10 fps, measured), on a 16-core node up to 16. Frames still
        // come out in display order (B-frame streams decode to the same frames), and CPU is the same.
        args.AddRange(["-flags", "low_delay"]);
        if (ingest.HardwareDecoding != HardwareDecoding.None)
            args.AddRange(["-hwaccel", ingest.HardwareDecoding.ToString().ToLowerInvariant()]);
        if (ingest.HardwareDecoding == HardwareDecoding.Cuda)
        {
            // Frames stay on the GPU until they are scaled (see Filter): only the detection-size frame is copied back.
            args.AddRange(["-hwaccel_output_format", "cuda"]);
        }

        args.AddRange(
        [
            "-i", source.Input,
            "-an", "-sn", "-dn",
            "-vf", Filter(camera, ingest.HardwareDecoding),
            // Frames keep the times they came with: no duplicates made up to fill a constant rate.
            "-fps_mode", "passthrough",
            "-pix_fmt", "bgr24",
            "-f", "rawvideo",
            "pipe:1",
        ]);
        return args;
    }

    /// <summary>
    /// Where a camera's detect slots begin, as a fraction of a slot, from a hash of its id: cameras started
    /// together would otherwise all cut their slots at the same instants, and their frames would reach the
    /// detectors in one burst per slot, the last of them waiting for all the others. Stable across restarts.
    /// </summary>
    public static double SlotPhase(string cameraId)
    {
        // FNV-1a, then MurmurHash3's finaliser: FNV alone puts ids that differ in their last character
        // (cam-1, cam-2, ...) within 0.4% of a slot of each other.
        var hash = 2166136261u;
        foreach (var c in cameraId)
            hash = (hash ^ c) * 16777619u;
        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return hash / 4294967296.0;
    }

    /// <summary>
    /// Keeps the first frame of each 1/DetectFps time slot (shifted by the camera's <see cref="SlotPhase"/>),
    /// then scales. Unlike the <c>fps</c> filter this never duplicates a frame when the stream falls behind (a
    /// duplicate is stale video, analysed again and counted as if the link were fine), and it drops before
    /// scaling, so unused frames cost no scaling.
    /// Scaling inside ffmpeg costs a fraction of piping full-size frames and scaling them here; area averaging
    /// suits the usual downscale to detection size and cost ~15% less ffmpeg CPU than the default bicubic
    /// in the benchmark (H.264 768×576 → 640×480). With CUDA decoding the frame is scaled on the GPU and only then
    /// downloaded: a 1080p frame is 3 MB, a 640×480 one a seventh of that, and a 16-core node copying and
    /// scaling every 1080p frame on its CPUs runs out of CPU long before the GPU runs out of decoders.
    /// </summary>
    private static string Filter(CameraOptions camera, HardwareDecoding decoding)
    {
        // Slot number k of a time t: floor(t × fps + phase).
        var slot = string.Create(CultureInfo.InvariantCulture, $"*{camera.DetectFps:0.###}+{SlotPhase(camera.Id):0.###}");
        var select = $"select='isnan(prev_selected_t)+gte(floor(t{slot})\\,floor(prev_selected_t{slot})+1)'";
        var scale = decoding == HardwareDecoding.Cuda
            ? string.Create(CultureInfo.InvariantCulture, $"scale_cuda={camera.DetectWidth}:{camera.DetectHeight}:format=nv12,hwdownload,format=nv12")
            : string.Create(CultureInfo.InvariantCulture, $"scale={camera.DetectWidth}:{camera.DetectHeight}:flags=area");
        return $"{select},{scale}";
    }
}
