using System.Globalization;

namespace Surveillance.Ingest;

/// <summary>
/// The argument list that makes ffmpeg decode one camera into raw BGR frames on its stdout.
/// Arguments are passed as a list, never through a shell, so nothing in a URL can be interpreted.
/// </summary>
public static class FfmpegArguments
{
    private const string RtspAnalyzeMicros = "500000";

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
                // The SDP already names the codec and usually carries its parameters; ffmpeg's default 5 s of
                // analysis went into guessing a frame rate that the detect-rate filter never uses, and made every
                // (re)start wait 2.2 s for its first frame against GStreamer's RTSP server, 0.73 s with this.
                args.AddRange(["-analyzeduration", RtspAnalyzeMicros]);
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
    /// When, as a fraction of 1/DetectFps, a camera's frames are due for detection, from a hash of its id: cameras
    /// started together would otherwise all have their frames kept at the same instants, and those frames would
    /// reach the detectors in one burst per interval, the last of them waiting for all the others. Stable across
    /// restarts.
    /// </summary>
    public static double DetectPhase(string cameraId)
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
    /// Keeps DetectFps frames a second, at most, by a token bucket kept in the select filter's own variables: the
    /// camera earns one frame per 1/DetectFps, a frame is kept when half a token or more has been earned, and at
    /// most one and a half are saved. Cutting time into fixed 1/DetectFps slots instead (keep the first frame of
    /// each) lost a quarter of the frames of a camera whose rate equals DetectFps whenever its frames fell on the
    /// slots' edges: two landed in one slot and the next slot stayed empty, from rounding alone (10 fps at phase 0:
    /// 222 of 300 frames kept) or from arrival jitter (one of 16 RTSP cameras delivered 487 frames a minute
    /// instead of 600). The half token absorbs arrival jitter (a fifth of an interval either way loses nothing
    /// but, at most, the first frame, in the test on the real ffmpeg); the cap means a stream that stalls and
    /// catches up gives two frames at once, never a burst; nothing is ever duplicated (unlike the <c>fps</c>
    /// filter, which fills a stream that falls behind with stale copies). The first token is due at the camera's
    /// <see cref="DetectPhase"/>, so that cameras started together are not detected in step. Frames are dropped
    /// before scaling, so unused frames cost no scaling.
    /// Scaling inside ffmpeg costs a fraction of piping full-size frames and scaling them here; area averaging
    /// suits the usual downscale to detection size and cost ~15% less ffmpeg CPU than the default bicubic
    /// in the benchmark (H.264 768×576 → 640×480). With CUDA decoding the frame is scaled on the GPU and only then
    /// downloaded: a 1080p frame is 3 MB, a 640×480 one a seventh of that, and a 16-core node copying and
    /// scaling every 1080p frame on its CPUs runs out of CPU long before the GPU runs out of decoders.
    /// </summary>
    internal static string Filter(CameraOptions camera, HardwareDecoding decoding)
    {
        // Variable 0 holds the tokens: 0.5 - phase before the first frame, then what the time since the previous
        // frame earned, up to 1.5; a kept frame spends one. Time that runs backwards (a wall clock set back, with
        // live sources stamped on arrival) earns nothing rather than a debt that would stop detection as long.
        var select = string.Create(CultureInfo.InvariantCulture,
            $"select='st(0\\,if(isnan(prev_t)\\,{0.5 - DetectPhase(camera.Id):0.###}\\,min(1.5\\,ld(0)+max(0\\,t-prev_t)*{camera.DetectFps:0.###})));if(gte(ld(0)\\,0.5)\\,st(0\\,ld(0)-1);1\\,0)'");
        return $"{select},{Scale(camera, decoding)}";
    }

    /// <summary>The scaling to the camera's detect size, shared by live cameras and recordings read once.</summary>
    private static string Scale(CameraOptions camera, HardwareDecoding decoding) => decoding == HardwareDecoding.Cuda
        ? string.Create(CultureInfo.InvariantCulture, $"scale_cuda={camera.DetectWidth}:{camera.DetectHeight}:format=nv12,hwdownload,format=nv12")
        : string.Create(CultureInfo.InvariantCulture, $"scale={camera.DetectWidth}:{camera.DetectHeight}:flags=area");

    /// <summary>
    /// A video file read once, as fast as it decodes, every frame scaled to the camera's detect size as a live camera's
    /// frames are: for measuring the pipeline against ground truth. No frame is dropped here (no <c>-re</c>, no loop,
    /// no rate filter), so the n-th frame out is the n-th frame of the file and the caller chooses which to analyse.
    /// </summary>
    public static IReadOnlyList<string> ForRecording(CameraOptions camera, string path, IngestOptions ingest)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "error", "-flags", "low_delay" };
        if (ingest.HardwareDecoding != HardwareDecoding.None)
            args.AddRange(["-hwaccel", ingest.HardwareDecoding.ToString().ToLowerInvariant()]);
        if (ingest.HardwareDecoding == HardwareDecoding.Cuda)
            args.AddRange(["-hwaccel_output_format", "cuda"]);
        args.AddRange(
        [
            "-i", path,
            "-an", "-sn", "-dn",
            "-vf", Scale(camera, ingest.HardwareDecoding),
            "-fps_mode", "passthrough",
            "-pix_fmt", "bgr24",
            "-f", "rawvideo",
            "pipe:1",
        ]);
        return args;
    }
}
