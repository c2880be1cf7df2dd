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
        Assert.Equal("7000000", After(args, "-timeout"));
        // Shell metacharacters stay inside one argument: there is no shell to interpret them.
        Assert.Equal(camera.Url, After(args, "-i"));
        Assert.Equal("fps=2.5,scale=640:360", After(args, "-vf"));
        Assert.Equal("bgr24", After(args, "-pix_fmt"));
        Assert.Equal("rawvideo", After(args, "-f"));
        Assert.Equal("pipe:1", args[^1]);
        Assert.DoesNotContain("-stream_loop", args);
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

    private static string After(IReadOnlyList<string> args, string option)
    {
        var index = args.ToList().IndexOf(option);
        Assert.True(index >= 0 && index + 1 < args.Count, $"{option} missing");
        return args[index + 1];
    }
}
