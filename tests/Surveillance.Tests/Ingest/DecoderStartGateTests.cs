using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

/// <summary>Decoders start a few at a time; a decoder hung at start holds its turn only until its stall timeout.</summary>
public sealed class DecoderStartGateTests
{
    [Fact]
    public async Task With_one_start_at_a_time_a_camera_waits_for_the_one_hung_at_start_and_then_decodes()
    {
        // ffmpeg opening a FIFO that nobody writes blocks before its first frame: a camera hung at start.
        var fifo = Path.Combine(Path.GetTempPath(), $"hung-camera-{Guid.NewGuid():N}.ts");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
            await mkfifo.WaitForExitAsync();
        try
        {
            using var gate = new DecoderStartGate(1);
            var stallTimeout = TimeSpan.FromSeconds(3);
            var hungCamera = new CameraOptions { Id = "hung", Url = fifo, DetectWidth = 320, DetectHeight = 240, DetectFps = 10 };
            var camera = new CameraOptions { Id = "ok", Url = RepoPaths.VtestAvi, DetectWidth = 320, DetectHeight = 240, DetectFps = 10 };
            await using var hung = new FfmpegFrameSource(hungCamera, new IngestOptions(), new FramePool(hungCamera.Id, 320, 240), 0,
                stallTimeout, NullLogger.Instance, FreshMetrics.Ingest(hungCamera.Id), gate);
            await using var waiting = new FfmpegFrameSource(camera, new IngestOptions(), new FramePool(camera.Id, 320, 240), 0,
                TimeSpan.FromSeconds(20), NullLogger.Instance, FreshMetrics.Ingest(camera.Id), gate);

            var clock = Stopwatch.StartNew();
            var hungRun = hung.RunAsync(frame => frame.Release(), CancellationToken.None);
            await Task.Delay(300);
            using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var firstFrameAt = TimeSpan.Zero;
            var waitingRun = waiting.RunAsync(frame =>
            {
                frame.Release();
                if (firstFrameAt == TimeSpan.Zero)
                {
                    firstFrameAt = clock.Elapsed;
                    enough.Cancel();
                }
            }, enough.Token);

            var stalled = await Assert.ThrowsAsync<FrameSourceException>(() => hungRun);
            Assert.Equal(FrameSourceFailure.Stalled, stalled.Failure);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waitingRun);

            // The hung camera took the one turn first and held it until its stall timeout, which runs from its own
            // start: however slow the machine, the second camera cannot have decoded before that. (Without the
            // gate it decodes within a second.) The order alone, read after the fact, would be a race on a busy machine.
            Assert.NotEqual(TimeSpan.Zero, firstFrameAt);
            Assert.True(firstFrameAt >= stallTimeout - TimeSpan.FromMilliseconds(20),
                $"the second camera decoded at {firstFrameAt.TotalSeconds:F2} s, before the hung one's {stallTimeout.TotalSeconds} s stall timeout gave up its turn");
        }
        finally
        {
            File.Delete(fifo);
        }
    }

    [Fact]
    public void Starts_are_limited_with_hardware_decoding_by_default_and_not_with_software_decoding()
    {
        Assert.Equal(0, new IngestOptions().EffectiveMaxConcurrentStarts);
        Assert.Equal(IngestOptions.HardwareStartsAtOnce, new IngestOptions { HardwareDecoding = HardwareDecoding.Cuda }.EffectiveMaxConcurrentStarts);
        Assert.Equal(3, new IngestOptions { HardwareDecoding = HardwareDecoding.Cuda, MaxConcurrentStarts = 3 }.EffectiveMaxConcurrentStarts);
    }
}
