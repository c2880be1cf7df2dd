using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

public sealed class LatestFrameSchedulerTests
{
    private static Frame NewFrame(FramePool pool, long sequence)
    {
        var frame = pool.Rent();
        frame.Stamp(sequence, DateTime.UtcNow);
        return frame;
    }

    [Fact]
    public async Task A_camera_waiting_for_a_detector_keeps_only_its_newest_frame_and_the_stale_ones_go_back_to_the_pool()
    {
        var pool = new FramePool("slow-detector", 4, 4);
        using var scheduler = new LatestFrameScheduler(["slow-detector"], FreshMetrics.Pipeline());
        for (var i = 0; i < 50; i++)
            scheduler.Offer(NewFrame(pool, i));

        var frame = scheduler.Take(CancellationToken.None);
        Assert.Equal(49, frame.Sequence);
        frame.Release();
        // 49 stale frames were released as they were replaced: the pool never grew beyond two.
        Assert.Equal(2, pool.Allocated);

        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => scheduler.Take(none.Token));
    }

    [Fact]
    public void However_long_an_overload_lasts_there_is_one_waiting_frame_per_camera_and_no_more()
    {
        var pools = new[] { new FramePool("a", 4, 4), new FramePool("b", 4, 4), new FramePool("c", 4, 4) };
        using var scheduler = new LatestFrameScheduler(["a", "b", "c"], FreshMetrics.Pipeline());
        for (var i = 0; i < 10_000; i++)
            scheduler.Offer(NewFrame(pools[i % 3], i));
        Assert.Equal(3, scheduler.FramesWaiting);

        var taken = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var frame = scheduler.Take(CancellationToken.None);
            taken.Add(frame.Sequence);
            frame.Release();
        }
        // The newest frame of each camera, a, b, c in turn.
        Assert.Equal([9999L, 9997L, 9998L], taken);
        Assert.Equal(0, scheduler.FramesWaiting);
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAny<OperationCanceledException>(() => scheduler.Take(none.Token));
    }

    [Fact]
    public void Detectors_take_the_cameras_in_turn_so_a_busy_camera_cannot_starve_a_quiet_one()
    {
        var busy = new FramePool("busy", 4, 4);
        var quiet = new FramePool("quiet", 4, 4);
        using var scheduler = new LatestFrameScheduler(["busy", "quiet"], FreshMetrics.Pipeline());
        var taken = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            scheduler.Offer(NewFrame(quiet, round));
            for (var i = 0; i < 2; i++)
            {
                // The busy camera has a new frame waiting at every take; taken first each time, it would leave
                // the quiet one nothing.
                scheduler.Offer(NewFrame(busy, round * 2 + i));
                var frame = scheduler.Take(CancellationToken.None);
                taken.Add(frame.CameraId);
                frame.Release();
            }
        }
        Assert.Equal(10, taken.Count(c => c == "quiet"));
        Assert.Equal(10, taken.Count(c => c == "busy"));
    }

    [Fact]
    public async Task Detectors_on_their_own_threads_take_every_waiting_frame_once_while_cameras_keep_offering()
    {
        var ids = Enumerable.Range(0, 8).Select(i => $"cam{i}").ToArray();
        var pools = ids.Select(id => new FramePool(id, 4, 4)).ToArray();
        using var scheduler = new LatestFrameScheduler(ids, FreshMetrics.Pipeline());
        using var stop = new CancellationTokenSource();
        var taken = new long[ids.Length];
        var detectors = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
        {
            try
            {
                while (true)
                {
                    var frame = scheduler.Take(stop.Token);
                    Interlocked.Increment(ref taken[Array.IndexOf(ids, frame.CameraId)]);
                    frame.Release();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        var cameras = Enumerable.Range(0, ids.Length).Select(c => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < 20_000; i++)
                scheduler.Offer(NewFrame(pools[c], i));
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(cameras).WaitAsync(TimeSpan.FromSeconds(30));

        // Every frame still waiting is taken, and then the line is empty.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (scheduler.FramesWaiting > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        await stop.CancelAsync();
        await Task.WhenAll(detectors).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, scheduler.FramesWaiting);
        Assert.All(taken, n => Assert.InRange(n, 1, 20_000));
        // Each pool holds the frames still out plus the few in flight: none was lost by a race between slot and line.
        Assert.All(pools, pool => Assert.InRange(pool.Allocated, 1, 8));
        Assert.All(pools, pool => Assert.Equal(pool.Allocated, pool.Available));
    }

    [Fact]
    public void A_batch_takes_without_waiting_the_newest_frame_of_each_camera_that_has_one()
    {
        var pools = new[] { new FramePool("a", 4, 4), new FramePool("b", 4, 4), new FramePool("c", 4, 4) };
        using var scheduler = new LatestFrameScheduler(["a", "b", "c"], FreshMetrics.Pipeline());
        for (var i = 0; i < 3; i++)
        {
            scheduler.Offer(NewFrame(pools[0], i));
            scheduler.Offer(NewFrame(pools[2], i));
        }

        var batch = new List<Frame>();
        while (scheduler.TryTake(out var frame))
            batch.Add(frame);

        Assert.Equal([("a", 2L), ("c", 2L)], batch.Select(f => (f.CameraId, f.Sequence)));
        foreach (var frame in batch)
            frame.Release();
        Assert.False(scheduler.TryTake(out _));
    }

    [Fact]
    public void A_frame_of_an_unknown_camera_is_refused()
    {
        using var scheduler = new LatestFrameScheduler(["a"], FreshMetrics.Pipeline());
        Assert.Throws<ArgumentException>(() => scheduler.Offer(NewFrame(new FramePool("b", 4, 4), 0)));
    }
}
