using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

public sealed class FfmpegArgumentsTests
{
    [Fact]
    public void RTSP_is_pulled_over_TCP_with_a_socket_timeout_and_scaled_inside_ffmpeg()
    {
        var camera = new CameraOptions { Id = "c", Url = "rtsp://u:p@127.0.0.1:8554/a;b|c`d`&e", DetectFps = 2.5, DetectWidth = 640, DetectHeight = 360 };
        var args = FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), new IngestOptions { SocketTimeoutSeconds = 7 });

        Assert.Equal("tcp", After(args, "-rtsp_transport"));
        Assert.Equal("500000", After(args, "-analyzeduration"));
        Assert.Equal("7000000", After(args, "-timeout"));
        // Shell metacharacters stay inside one argument: there is no shell to interpret them.
        Assert.Equal(camera.Url, After(args, "-i"));
        Assert.Equal(@"select='st(0\,if(isnan(prev_t)\,0.224\,min(1.5\,ld(0)+max(0\,t-prev_t)*2.5)));if(gte(ld(0)\,0.5)\,st(0\,ld(0)-1);1\,0)',scale=640:360:flags=area",
            After(args, "-vf"));
        Assert.Equal("passthrough", After(args, "-fps_mode"));
        Assert.Equal("bgr24", After(args, "-pix_fmt"));
        Assert.Equal("rawvideo", After(args, "-f"));
        Assert.Equal("pipe:1", args[^1]);
        Assert.DoesNotContain("-stream_loop", args);
    }

    [Fact]
    public void Each_camera_has_a_detect_phase_of_its_own_spread_over_the_interval()
    {
        var phases = Enumerable.Range(0, 300).Select(i => FfmpegArguments.DetectPhase($"cam-{i}")).Order().ToArray();
        Assert.All(phases, p => Assert.InRange(p, 0, 0.999999));
        // 300 cameras numbered in sequence: no gap of a tenth of an interval without one (evenly spread, 1/300).
        var gaps = phases.Zip(phases.Skip(1), (a, b) => b - a).Append(1 - phases[^1] + phases[0]);
        Assert.True(gaps.Max() < 0.1, $"largest gap {gaps.Max():0.###} of an interval");
        Assert.Equal(FfmpegArguments.DetectPhase("gate-3"), FfmpegArguments.DetectPhase("gate-3"));
    }

    [Theory]
    [InlineData(5, 300)] // slower than the detect rate: every frame
    [InlineData(10, 300)] // as fast: every frame (the first may wait for the camera's phase)
    [InlineData(12, 250)] // faster: 10 a second
    [InlineData(25, 120)]
    public async Task The_real_ffmpeg_keeps_DetectFps_frames_a_second_at_most_and_loses_none_below_that_whatever_the_phase_and_jitter(
        int cameraFps, int expected)
    {
        // 300 frames, each stamped up to a fifth of a frame interval early or late, as live frames stamped on
        // arrival are; ten cameras, ten phases.
        var counts = new List<int>();
        foreach (var id in Enumerable.Range(0, 10).Select(i => $"cam-{i}"))
            counts.Add(await FramesKeptAsync(id, $"N/{cameraFps}+(random(0)-0.5)*0.4/{cameraFps}"));
        Assert.All(counts, n => Assert.InRange(n, expected - 3, expected));
    }

    [Fact]
    public async Task A_clock_set_back_does_not_stop_detection()
    {
        // Live frames are stamped with the wall clock on arrival: here it goes back 100 s halfway through.
        var kept = await FramesKeptAsync("cam-0", "1000+N/10-if(gte(N\\,150)\\,100\\,0)");
        Assert.InRange(kept, 297, 300);
    }

    /// <summary>
    /// Runs the real ffmpeg with a camera's detect-rate filter (DetectFps 10) on the first 300 frames of vtest.avi,
    /// restamped at <paramref name="seconds"/> (an expression of the frame number N, which sets the camera's rate),
    /// and counts the frames it keeps.
    /// </summary>
    private static async Task<int> FramesKeptAsync(string cameraId, string seconds)
    {
        var camera = new CameraOptions { Id = cameraId, DetectFps = 10, DetectWidth = 64, DetectHeight = 48 };
        string[] args =
        [
            "-hide_banner", "-nostdin", "-loglevel", "error",
            "-i", RepoPaths.VtestAvi,
            "-vf", $"trim=end_frame=300,settb=1/90000,setpts=({seconds})/TB,{FfmpegArguments.Filter(camera, HardwareDecoding.None)}",
            "-fps_mode", "passthrough", "-f", "framecrc", "-",
        ];
        await using var ffmpeg = await ChildProcess.StartAsync("ffmpeg", args, readyLine: null, TimeSpan.FromSeconds(5));
        Assert.Equal(0, await ffmpeg.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return ffmpeg.Output.Split('\n').Count(line => line.StartsWith("0,", StringComparison.Ordinal));
    }

    [Fact]
    public void The_decoder_is_asked_for_no_frame_threading_delay()
    {
        foreach (var url in new[] { "rtsp://127.0.0.1:8554/a", RepoPaths.VtestAvi })
        {
            var camera = new CameraOptions { Id = "c", Url = url };
            var args = FfmpegArguments.For(camera, SourceUrl.Parse(url), new IngestOptions()).ToList();
            Assert.Equal("low_delay", After(args, "-flags"));
            Assert.True(args.IndexOf("-flags") < args.IndexOf("-i"), "-flags is a decoder option: it must come before the input");
        }
    }

    [Fact]
    public void A_file_is_read_at_its_own_pace_and_looped()
    {
        var camera = new CameraOptions { Id = "c", Url = RepoPaths.VtestAvi };
        var args = FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), new IngestOptions());

        Assert.Equal("-1", After(args, "-stream_loop"));
        Assert.Contains("-re", args);
        Assert.True(args.ToList().IndexOf("-re") < args.ToList().IndexOf("-i"), "-re must come before the input");
        Assert.DoesNotContain("-rtsp_transport", args);
    }

    [Fact]
    public void Live_sources_discard_corrupt_packets_stamp_wall_clock_time_and_use_their_protocols_timeout()
    {
        var udp = new CameraOptions { Id = "c", Url = "rtsp://cam/a", Transport = RtspTransport.Udp };
        var udpArgs = FfmpegArguments.For(udp, SourceUrl.Parse(udp.Url), new IngestOptions());
        Assert.Equal("udp", After(udpArgs, "-rtsp_transport"));
        Assert.Equal("+discardcorrupt", After(udpArgs, "-fflags"));
        Assert.Equal("1", After(udpArgs, "-use_wallclock_as_timestamps"));

        foreach (var url in new[] { "rtmp://relay/live/van-7", "http://relay/live/van-7.flv", "https://relay/hls/van-7.m3u8" })
        {
            var camera = new CameraOptions { Id = "c", Url = url };
            var args = FfmpegArguments.For(camera, SourceUrl.Parse(url), new IngestOptions { SocketTimeoutSeconds = 4 });
            Assert.Equal("4000000", After(args, "-rw_timeout"));
            Assert.DoesNotContain("-rtsp_transport", args);
            Assert.Equal("+discardcorrupt", After(args, "-fflags"));
        }

        var file = new CameraOptions { Id = "c", Url = RepoPaths.VtestAvi };
        Assert.DoesNotContain("-use_wallclock_as_timestamps", FfmpegArguments.For(file, SourceUrl.Parse(file.Url), new IngestOptions()));
    }

    [Fact]
    public void Hardware_decoding_asks_ffmpeg_for_its_hwaccel_before_the_input_and_is_off_by_default()
    {
        var camera = new CameraOptions { Id = "c", Url = "rtsp://cam/a" };
        Assert.DoesNotContain("-hwaccel", FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), new IngestOptions()));

        var args = FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), new IngestOptions { HardwareDecoding = HardwareDecoding.Cuda }).ToList();
        Assert.Equal("cuda", After(args, "-hwaccel"));
        Assert.True(args.IndexOf("-hwaccel") < args.IndexOf("-i"), "-hwaccel is an input option: it must come before -i");
        // CUDA frames are scaled on the GPU and only the detection-size frame comes back to system memory.
        Assert.Equal("cuda", After(args, "-hwaccel_output_format"));
        Assert.EndsWith(",scale_cuda=640:360:format=nv12,hwdownload,format=nv12", After(args, "-vf"), StringComparison.Ordinal);

        var vaapi = FfmpegArguments.For(camera, SourceUrl.Parse(camera.Url), new IngestOptions { HardwareDecoding = HardwareDecoding.Vaapi });
        Assert.Equal("vaapi", After(vaapi, "-hwaccel"));
        Assert.DoesNotContain("-hwaccel_output_format", vaapi);
        Assert.EndsWith(",scale=640:360:flags=area", After(vaapi, "-vf"), StringComparison.Ordinal);
    }

    private static string After(IReadOnlyList<string> args, string option)
    {
        var index = args.ToList().IndexOf(option);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{option} missing");
        return args[index + 1];
    }
}
