using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Motion;
using Surveillance.Analytics.Scene;
using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// The motion gate on real pictures: a still stretch (one frame of vtest.avi repeated, as a camera on a
/// static image streams it) and the real video after it.
/// </summary>
[Collection(VtestDetectionsShared.Name)]
public sealed class MotionGateTests(VtestDetections detections, ITestOutputHelper output)
{
    /// <summary>30 s at 5 fps.</summary>
    private const int StillFrames = 150;

    private const int StillFrame = 200;

    /// <summary>
    /// Frame 200 repeated for 30 s, then the real video from frame 202 to 400 (people walking everywhere).
    /// Frame 200 shows seven people and two parked vehicles: their tracks must be looked at again now and then
    /// (every 5 s), which is all the detector does during the still stretch.
    /// </summary>
    private static IEnumerable<SceneReplay.ReplayFrame> StillThenMoving()
    {
        var still = VtestDetections.Frames(StillFrame, StillFrame).Single().Image.Pixels;
        var at = VtestDetections.Start;
        long sequence = 0;
        for (var i = 0; i < StillFrames; i++, at += 2 * VtestDetections.FrameInterval)
            yield return new SceneReplay.ReplayFrame(sequence++, still, at, StillFrame);
        foreach (var (index, image) in VtestDetections.Frames(StillFrame + VtestDetections.Step, 400))
        {
            yield return new SceneReplay.ReplayFrame(sequence++, image.Pixels, at, index);
            at += 2 * VtestDetections.FrameInterval;
        }
    }

    [Fact]
    public void On_a_still_stretch_the_gate_skips_over_90_percent_of_frames_and_none_once_people_move()
    {
        using var camera = SceneReplay.Camera(new CameraRuleOptions(), cameraId: "gate-still");
        var replay = SceneReplay.Play(camera, StillThenMoving(), frame => detections.At(frame, 0.5f));
        replay.ReleaseSnapshots();

        var stillSkipped = replay.Skipped.Count(s => s < StillFrames);
        var movingSkipped = replay.Skipped.Count(s => s >= StillFrames);
        output.WriteLine($"still stretch: {stillSkipped} of {StillFrames} skipped, analysed {string.Join(' ', replay.Analysed.Where(s => s < StillFrames))}");
        output.WriteLine($"moving stretch: {movingSkipped} of {replay.Analysed.Count + replay.Skipped.Count - StillFrames} skipped");
        Assert.True(stillSkipped >= 0.9 * StillFrames, $"{stillSkipped} of {StillFrames} still frames skipped");
        // Everyone who moves is moving on every frame of the real video: the detector must see all of them.
        Assert.Equal(0, movingSkipped);

        // The people standing in the still picture were found and followed all along: the rules saw them.
        var firstNews = replay.Messages.Where(m => m.Output.Change.Phase == EventPhase.New && m.Frame < StillFrames).ToList();
        Assert.InRange(firstNews.Count, 6, 9);
    }

    [Fact]
    public void The_skipped_ratio_metric_shows_the_fraction_of_frames_skipped()
    {
        var metrics = FreshMetrics.Pipeline();
        using var camera = SceneReplay.Camera(new CameraRuleOptions(), cameraId: "gate-metric", metrics: metrics);
        var replay = SceneReplay.Play(camera, StillThenMoving().Take(StillFrames), frame => detections.At(frame, 0.5f));
        replay.ReleaseSnapshots();

        var ratio = metrics.SkippedRatio.WithLabels("gate-metric").Value;
        Assert.Equal((double)replay.Skipped.Count / StillFrames, ratio, 6);
        Assert.True(ratio >= 0.9);
        Assert.Equal(replay.Skipped.Count, metrics.FramesSkipped.WithLabels("gate-metric").Value);
    }

    [Fact]
    public void A_patrol_camera_is_not_gated_even_on_a_still_picture()
    {
        using var camera = SceneReplay.Camera(new CameraRuleOptions(), kind: CameraKind.Patrol, cameraId: "gate-patrol");
        Assert.False(camera.GateEnabled);
        var replay = SceneReplay.Play(camera, StillThenMoving().Take(50), frame => detections.At(frame, 0.5f));
        replay.ReleaseSnapshots();
        Assert.Empty(replay.Skipped);
    }

    /// <summary>
    /// Frame 200 repeated for 20 s at 5 fps, fed to the gate with the tracks it is told about: the times (in seconds
    /// from the first frame) at which it lets the detector run.
    /// </summary>
    private static List<double> LooksOnAStillPicture(MotionGateOptions options, int liveTracks, int movingTracks)
    {
        var still = VtestDetections.Frames(StillFrame, StillFrame).Single().Image.Pixels;
        using var gate = new MotionGate(options, enabled: true, SceneMask.None);
        var looks = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var at = VtestDetections.Start + i * 2 * VtestDetections.FrameInterval;
            if (gate.Decide(still, VtestDetections.Width, VtestDetections.Height, at, liveTracks, movingTracks) != GateDecision.Skip)
                looks.Add((at - VtestDetections.Start).TotalSeconds);
        }
        return looks;
    }

    [Fact]
    public void On_a_still_picture_stationary_tracks_are_looked_at_every_recheck_seconds_and_moving_ones_every_moving_recheck_seconds()
    {
        // The first frame is always analysed; after it the picture never changes.
        Assert.Equal([0.0], LooksOnAStillPicture(new MotionGateOptions(), liveTracks: 0, movingTracks: 0));
        Assert.Equal([0.0, 5, 10, 15], LooksOnAStillPicture(new MotionGateOptions(), liveTracks: 3, movingTracks: 0));
        var moving = LooksOnAStillPicture(new MotionGateOptions(), liveTracks: 3, movingTracks: 1);
        Assert.Equal(Enumerable.Range(0, 20).Select(s => (double)s), moving.Select(t => Math.Round(t, 6)));
        Assert.Equal([0.0, 2, 4, 6, 8, 10, 12, 14, 16, 18],
            LooksOnAStillPicture(new MotionGateOptions { MovingRecheckSeconds = 2 }, liveTracks: 1, movingTracks: 1).Select(t => Math.Round(t, 6)));
        // A moving recheck longer than the still one is not used: moving tracks are looked at no less often.
        Assert.Equal([0.0, 3, 6, 9, 12, 15, 18],
            LooksOnAStillPicture(new MotionGateOptions { RecheckSeconds = 3, MovingRecheckSeconds = 10 }, liveTracks: 1, movingTracks: 1).Select(t => Math.Round(t, 6)));
    }

    /// <remarks>
    /// One small figure (about 30 px tall at 640×480) in black walks left along the lawn below the building, far
    /// from the camera, from frame 100 to 160 (looked at frame by frame); nobody else is in the area x 0–260,
    /// y 20–120. Pasting just that area of each real frame onto frame 100 gives a still picture in which only he
    /// moves. The gate must wake the detector on every one of those frames, and the detector must find him.
    /// </remarks>
    [Fact]
    public void One_distant_walker_alone_in_a_still_picture_wakes_the_detector_on_every_frame()
    {
        var frames = VtestDetections.Frames(100, 160).ToList();
        var background = frames[0].Image.Pixels;
        using var gate = new MotionGate(new MotionGateOptions(), enabled: true, SceneMask.None);
        using var detector = new OnnxObjectDetector(new DetectorOptions { Model = RepoPaths.YoloV5s, Threads = 2, Classes = ["person"] }, FreshMetrics.Analytics());
        Assert.Equal(GateDecision.Motion, gate.Decide(background, VtestDetections.Width, VtestDetections.Height, VtestDetections.Start, 0, 0));
        Assert.Equal(GateDecision.Skip, gate.Decide(background, VtestDetections.Width, VtestDetections.Height, VtestDetections.Start, 0, 0));

        var seen = 0;
        foreach (var (index, image) in frames.Skip(1))
        {
            var composite = (byte[])background.Clone();
            for (var y = 20; y < 120; y++)
                Array.Copy(image.Pixels, y * VtestDetections.Width * 3, composite, y * VtestDetections.Width * 3, 260 * 3);

            var decision = gate.Decide(composite, VtestDetections.Width, VtestDetections.Height, VtestDetections.TimeOf(index), 0, 0);
            output.WriteLine($"frame {index}: {decision}, {gate.LastChangedFraction:0.00000} of the picture changed");
            Assert.Equal(GateDecision.Motion, decision);
            if (detector.Detect(composite, VtestDetections.Width, VtestDetections.Height).ToArray()
                .Any(d => d.Box.X2 <= 260 && d.Box.Y2 is > 20 and < 120))
            {
                seen++;
            }
        }
        output.WriteLine($"the detector found him on {seen} of {frames.Count - 1} frames");
        Assert.True(seen >= (frames.Count - 1) * 0.8, $"found on {seen} frames");
    }

    /// <remarks>
    /// The same lone walker as above, with a mask over the top-left corner where he walks (x 0–0.45, y 0–0.3 of
    /// the picture): his motion must not wake the detector, and where he is detected anyway, he is not reported.
    /// </remarks>
    [Fact]
    public void A_masked_area_neither_wakes_the_detector_nor_yields_objects()
    {
        var frames = VtestDetections.Frames(100, 160).ToList();
        var background = frames[0].Image.Pixels;
        var scene = new SceneOptions { Masks = { "0,0 0.45,0 0.45,0.3 0,0.3" } };
        using var gate = new MotionGate(new MotionGateOptions(), enabled: true, scene.CreateMask());
        var filter = scene.CreateFilter();
        gate.Decide(background, VtestDetections.Width, VtestDetections.Height, VtestDetections.Start, 0, 0);

        var walkerDetections = 0;
        foreach (var (index, image) in frames.Skip(1))
        {
            var composite = (byte[])background.Clone();
            for (var y = 20; y < 120; y++)
                Array.Copy(image.Pixels, y * VtestDetections.Width * 3, composite, y * VtestDetections.Width * 3, 260 * 3);
            Assert.Equal(GateDecision.Skip, gate.Decide(composite, VtestDetections.Width, VtestDetections.Height, VtestDetections.TimeOf(index), 0, 0));

            var found = detections.At(index, 0.5f);
            var kept = new Detection[found.Length];
            var count = filter.Apply(found, VtestDetections.Width, VtestDetections.Height, kept);
            walkerDetections += found.Count(d => d.Box.X2 <= 260 && d.Box.Y2 is > 20 and < 120);
            Assert.DoesNotContain(kept.Take(count), d => d.Box.X2 <= 260 && d.Box.Y2 is > 20 and < 120);
            Assert.Equal(found.Length - found.Count(d => (d.Box.X1 + d.Box.X2) / 2 < 288 && d.Box.Y2 < 144), count);
        }
        Assert.True(walkerDetections >= 20, $"the walker was detected {walkerDetections} times");
    }
}
