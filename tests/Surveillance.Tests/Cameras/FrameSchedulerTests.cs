using Surveillance.Cameras.Detectors;
using Surveillance.Ingest;

namespace Surveillance.Tests.Cameras;

public sealed class FrameSchedulerTests
{
    private static Frame NewFrame(FramePool pool, long sequence)
    {
        var frame = pool.Rent();
        frame.Stamp(sequence, DateTime.UtcNow);
        return frame;
    }

    private static (FrameSlot<string> Slot, FramePool Pool) Join(FrameScheduler<string> scheduler, string id, Action? dropped = null) =>
        (scheduler.Join(id, dropped), new FramePool(id, 4, 4));

    [Fact]
    public void A_camera_waiting_for_a_detector_keeps_only_its_newest_frame_and_the_stale_ones_go_back_to_the_pool()
    {
        var scheduler = new FrameScheduler<string>();
        var dropped = 0;
        var (slot, pool) = Join(scheduler, "slow-detector", () => dropped++);
        for (var i = 0; i < 50; i++)
            slot.Offer(NewFrame(pool, i));

        Assert.True(scheduler.TryTake(out var taken, out var frame));
        Assert.Same(slot, taken);
        Assert.Equal(49, frame.Sequence);
        frame.Release();
        Assert.Equal(49, dropped);
        // 49 stale frames were released as they were replaced: the pool never grew beyond two.
        Assert.Equal(2, pool.Allocated);
        Assert.False(scheduler.TryTake(out _, out _));
    }

    [Fact]
    public void However_long_an_overload_lasts_there_is_one_waiting_frame_per_camera_and_they_are_served_in_the_order_they_became_ready()
    {
        var scheduler = new FrameScheduler<string>();
        var cameras = new[] { Join(scheduler, "a"), Join(scheduler, "b"), Join(scheduler, "c") };
        for (var i = 0; i < 10_000; i++)
            cameras[i % 3].Slot.Offer(NewFrame(cameras[i % 3].Pool, i));
        Assert.Equal(3, scheduler.FramesWaiting);

        var taken = new List<(string, long)>();
        while (scheduler.TryTake(out var slot, out var frame))
        {
            taken.Add((slot.Camera, frame.Sequence));
            frame.Release();
            scheduler.Done(slot);
        }
        Assert.Equal([("a", 9999L), ("b", 9997L), ("c", 9998L)], taken);
        Assert.Equal(0, scheduler.FramesWaiting);
    }

    [Fact]
    public void Detectors_take_the_cameras_in_turn_so_a_busy_camera_cannot_starve_a_quiet_one()
    {
        var scheduler = new FrameScheduler<string>();
        var busy = Join(scheduler, "busy");
        var quiet = Join(scheduler, "quiet");
        var taken = new List<string>();
        for (var round = 0; round < 10; round++)
        {
            quiet.Slot.Offer(NewFrame(quiet.Pool, round));
            for (var i = 0; i < 2; i++)
            {
                // The busy camera has a new frame waiting at every take; taken first each time, it would leave the quiet one nothing.
                busy.Slot.Offer(NewFrame(busy.Pool, round * 2 + i));
                Assert.True(scheduler.Take(out var slot, out var frame));
                taken.Add(slot.Camera);
                frame.Release();
                scheduler.Done(slot);
            }
        }
        Assert.Equal(10, taken.Count(c => c == "quiet"));
        Assert.Equal(10, taken.Count(c => c == "busy"));
    }

    [Fact]
    public void A_camera_has_at_most_one_frame_in_flight_its_next_frame_waits_until_the_detector_is_done_with_the_last()
    {
        var scheduler = new FrameScheduler<string>();
        var (slot, pool) = Join(scheduler, "a");
        slot.Offer(NewFrame(pool, 0));
        Assert.True(scheduler.TryTake(out _, out var first));
        slot.Offer(NewFrame(pool, 1));

        // Another detector finds nothing to take: the camera's frame 0 is still being analysed.
        Assert.False(scheduler.TryTake(out _, out _));
        Assert.Equal(1, scheduler.FramesWaiting);

        first.Release();
        scheduler.Done(slot);
        Assert.True(scheduler.TryTake(out _, out var second));
        Assert.Equal(1, second.Sequence);
        second.Release();
    }

    [Fact]
    public void A_camera_that_leaves_gives_back_its_waiting_frame_and_later_frames_are_released_at_once()
    {
        var scheduler = new FrameScheduler<string>();
        var leaving = Join(scheduler, "leaving");
        var staying = Join(scheduler, "staying");
        leaving.Slot.Offer(NewFrame(leaving.Pool, 0));
        staying.Slot.Offer(NewFrame(staying.Pool, 0));
        Assert.Equal(2, scheduler.Cameras);

        scheduler.Leave(leaving.Slot);
        leaving.Slot.Offer(NewFrame(leaving.Pool, 1));

        Assert.Equal(1, scheduler.Cameras);
        Assert.Equal(leaving.Pool.Allocated, leaving.Pool.Available);
        Assert.True(scheduler.TryTake(out var slot, out var frame));
        Assert.Equal("staying", slot.Camera);
        frame.Release();
        Assert.False(scheduler.TryTake(out _, out _));
    }

    [Fact]
    public async Task Closing_the_scheduler_wakes_every_waiting_detector()
    {
        var scheduler = new FrameScheduler<string>();
        var detectors = Enumerable.Range(0, 3)
            .Select(_ => Task.Factory.StartNew(() => scheduler.Take(out FrameSlot<string> _, out Frame _), TaskCreationOptions.LongRunning)).ToArray();
        await Task.Delay(100);
        Assert.All(detectors, d => Assert.False(d.IsCompleted));

        scheduler.Close();
        var results = await Task.WhenAll(detectors).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, Assert.False);
    }

    [Fact]
    public async Task Detectors_on_their_own_threads_take_every_waiting_frame_once_while_cameras_join_offer_and_leave()
    {
        var scheduler = new FrameScheduler<string>();
        var ids = Enumerable.Range(0, 8).Select(i => $"cam{i}").ToArray();
        var cameras = ids.Select(id => Join(scheduler, id)).ToArray();
        var taken = new long[ids.Length];
        var inFlight = new int[ids.Length];
        var overlaps = 0;
        var detectors = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
        {
            while (scheduler.Take(out var slot, out var frame))
            {
                var c = Array.IndexOf(ids, slot.Camera);
                if (Interlocked.Increment(ref inFlight[c]) > 1)
                    Interlocked.Increment(ref overlaps);
                Interlocked.Increment(ref taken[c]);
                Thread.SpinWait(100);
                Interlocked.Decrement(ref inFlight[c]);
                frame.Release();
                scheduler.Done(slot);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        var offering = Enumerable.Range(0, ids.Length).Select(c => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < 20_000; i++)
                cameras[c].Slot.Offer(NewFrame(cameras[c].Pool, i));
            // Half the cameras leave as soon as they have offered their last frame.
            if (c % 2 == 0)
                scheduler.Leave(cameras[c].Slot);
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(offering).WaitAsync(TimeSpan.FromSeconds(30));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (scheduler.FramesWaiting > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        scheduler.Close();
        await Task.WhenAll(detectors).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, scheduler.FramesWaiting);
        Assert.Equal(0, overlaps);
        // A camera that stays is served; one that left may have gone before a detector came to it.
        Assert.All(taken.Where((_, c) => c % 2 == 1), n => Assert.InRange(n, 1, 20_000));
        Assert.All(taken, n => Assert.InRange(n, 0, 20_000));
        // Every frame went back to its pool: none was lost by a race between offering, taking and leaving.
        Assert.All(cameras, c => Assert.Equal(c.Pool.Allocated, c.Pool.Available));
    }
}
