using Microsoft.Extensions.Logging.Abstractions;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

/// <summary>The real ffmpeg binary decoding the real video, and failing on real garbage.</summary>
public sealed class FfmpegFrameSourceTests
{
    private static CameraOptions Camera(string url, int width = 320, int height = 240, double fps = 10) =>
        new() { Id = "cam-test", Url = url, DetectWidth = width, DetectHeight = height, DetectFps = fps, GridId = "g" };

    [Fact]
    public async Task Decodes_the_video_into_numbered_frames_of_exactly_width_height_3_bytes()
    {
        var camera = Camera(RepoPaths.VtestAvi);
        var pool = new FramePool(camera.Id, camera.DetectWidth, camera.DetectHeight);
        await using var source = new FfmpegFrameSource(camera, new IngestOptions(), pool, firstSequence: 100, Timeout.InfiniteTimeSpan, NullLogger.Instance, FreshMetrics.Ingest(camera.Id));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var frames = new List<(long Sequence, DateTime CapturedAt, int Length, double Mean)>();
        using var enough = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.RunAsync(frame =>
        {
            frames.Add((frame.Sequence, frame.CapturedAt, frame.Pixels.Length, Mean(frame.Pixels)));
            frame.Release();
            if (frames.Count == 5)
                enough.Cancel();
        }, enough.Token));
        Assert.False(timeout.IsCancellationRequested, "five frames did not come within 20 s");

        Assert.Equal(100 + frames.Count, source.NextSequence);
        Assert.Equal([100L, 101, 102, 103, 104], frames.Take(5).Select(f => f.Sequence));
        Assert.All(frames, f => Assert.Equal(320 * 240 * 3, f.Length));
        Assert.All(frames, f => Assert.Equal(DateTimeKind.Utc, f.CapturedAt.Kind));
        Assert.True(frames.Zip(frames.Skip(1)).All(p => p.First.CapturedAt <= p.Second.CapturedAt));
        // The scene is a daylight street: neither black nor white.
        Assert.All(frames, f => Assert.InRange(f.Mean, 40, 220));
        // Frames were returned as soon as they were used, so the pool never needed more than a couple.
        Assert.InRange(pool.Allocated, 1, 2);
    }

    [Fact]
    public async Task A_file_of_garbage_ends_the_source_with_ffmpegs_reason_and_leaves_no_process()
    {
        var path = Path.Combine(Path.GetTempPath(), $"garbage-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 64 * 1024).Select(i => (byte)(i * 31 % 251)).ToArray());
        try
        {
            var camera = Camera(path);
            await using var source = new FfmpegFrameSource(camera, new IngestOptions(), new FramePool(camera.Id, 320, 240), 0, Timeout.InfiniteTimeSpan, NullLogger.Instance, FreshMetrics.Ingest(camera.Id));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

            var e = await Assert.ThrowsAsync<FrameSourceException>(() => DrainAsync(source, timeout.Token));
            Assert.Contains("cam-test", e.Message, StringComparison.Ordinal);
            Assert.Contains("exited with code", e.Message, StringComparison.Ordinal);
            Assert.Contains("Invalid data", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
        Assert.Empty(await ProcessTable.WaitUntilNoChildrenNamedAsync("ffmpeg", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_camera_that_cannot_be_reached_fails_without_revealing_its_password()
    {
        var camera = Camera($"rtsp://operator:Hunter2Secret@127.0.0.1:{FreePort.Next()}/stream");
        await using var source = new FfmpegFrameSource(camera, new IngestOptions { SocketTimeoutSeconds = 2 }, new FramePool(camera.Id, 320, 240), 0, Timeout.InfiniteTimeSpan, NullLogger.Instance, FreshMetrics.Ingest(camera.Id));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var e = await Assert.ThrowsAsync<FrameSourceException>(() => DrainAsync(source, timeout.Token));
        Assert.Contains("rtsp://***@127.0.0.1", e.Message, StringComparison.Ordinal);
        // ffmpeg's own words are kept (it names the URL, password included, in them)...
        Assert.Contains("Connection refused", e.Message, StringComparison.Ordinal);
        // ...with the password taken out.
        Assert.DoesNotContain("Hunter2Secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_running_source_kills_and_reaps_ffmpeg()
    {
        var camera = Camera(RepoPaths.VtestAvi);
        var source = new FfmpegFrameSource(camera, new IngestOptions(), new FramePool(camera.Id, 320, 240), 0, Timeout.InfiniteTimeSpan, NullLogger.Instance, FreshMetrics.Ingest(camera.Id));
        var firstFrame = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = source.RunAsync(frame =>
        {
            frame.Release();
            firstFrame.TrySetResult();
        }, CancellationToken.None);
        await firstFrame.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEmpty(ProcessTable.ChildrenNamed("ffmpeg"));

        await source.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Empty(await ProcessTable.WaitUntilNoChildrenNamedAsync("ffmpeg", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_missing_ffmpeg_binary_is_reported_with_what_to_install()
    {
        var camera = Camera(RepoPaths.VtestAvi);
        await using var source = new FfmpegFrameSource(camera, new IngestOptions { FfmpegPath = "/nonexistent/ffmpeg" },
            new FramePool(camera.Id, 320, 240), 0, Timeout.InfiniteTimeSpan, NullLogger.Instance, FreshMetrics.Ingest(camera.Id));

        var e = await Assert.ThrowsAsync<FrameSourceException>(() => DrainAsync(source, CancellationToken.None));
        Assert.Contains("install the Debian package 'ffmpeg'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hardware_decoding_decodes_on_the_GPU_where_there_is_one_and_else_reports_ffmpegs_reason()
    {
        var camera = Camera(await TestVideo.VtestH264Async());
        await using var source = new FfmpegFrameSource(camera, new IngestOptions { HardwareDecoding = HardwareDecoding.Cuda },
            new FramePool(camera.Id, camera.DetectWidth, camera.DetectHeight), 0, TimeSpan.FromSeconds(20), NullLogger.Instance, FreshMetrics.Ingest(camera.Id));
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var frames = 0;

        var e = await Assert.ThrowsAnyAsync<Exception>(() => source.RunAsync(frame =>
        {
            frame.Release();
            if (++frames == 10)
                enough.Cancel();
        }, enough.Token));

        if (frames < 10)
        {
            // No NVIDIA driver here: ffmpeg stops at start, and the reason it gives reaches the error.
            var failure = Assert.IsType<FrameSourceException>(e);
            Assert.Equal(FrameSourceFailure.Exited, failure.Failure);
            Assert.Contains("CUDA", failure.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, frames);
        }
    }

    /// <summary>Reads the source to its end, releasing every frame.</summary>
    private static Task DrainAsync(FfmpegFrameSource source, CancellationToken cancellationToken) =>
        source.RunAsync(frame => frame.Release(), cancellationToken);

    private static double Mean(ReadOnlySpan<byte> pixels)
    {
        long sum = 0;
        foreach (var b in pixels)
            sum += b;
        return (double)sum / pixels.Length;
    }
}
