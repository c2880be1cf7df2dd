using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Ingest;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Plays vtest.avi through a camera's real per-frame pipeline (<see cref="CameraAnalysis"/>: motion gate,
/// filters, tracker, rules, snapshot copies) as the detection stage would: each analysed frame is a real
/// pooled frame with the video's pixels, and where the gate lets a frame through, the detector's output for
/// that very frame (from <see cref="VtestDetections"/>) is what the detector would return.
/// </summary>
public static class SceneReplay
{
    public const string CameraId = "vtest";

    public static CameraAnalysis Camera(CameraRuleOptions rules, SceneOptions? scene = null, CameraKind kind = CameraKind.Fixed,
        AlertOptions? alerts = null, string cameraId = CameraId, PipelineMetrics? metrics = null) => new(
        new CameraOptions { Id = cameraId, Kind = kind, DetectWidth = VtestDetections.Width, DetectHeight = VtestDetections.Height },
        scene ?? new SceneOptions(), rules, new TrackerOptions(), alerts ?? new AlertOptions { TimeZone = "UTC" }, (metrics ?? FreshMetrics.Pipeline()).ForCamera(cameraId));

    /// <summary>Replays frames <paramref name="first"/> to <paramref name="last"/> and then stops the engine (every open event ends).</summary>
    /// <param name="start">Capture time of frame 0; frame n is captured n × 100 ms later.</param>
    public static Replay Run(VtestDetections detections, CameraAnalysis camera, int first, int last, DateTime? start = null,
        float scoreThreshold = 0.5f)
    {
        var origin = start ?? VtestDetections.Start;
        var frames = VtestDetections.Frames(first, last)
            .Select(f => new ReplayFrame(f.Index, f.Image.Pixels, origin + f.Index * VtestDetections.FrameInterval, f.Index));
        return Play(camera, frames, index => detections.At(index, scoreThreshold));
    }

    /// <summary>Plays any sequence of frames; <paramref name="detect"/> stands in for the detector, given the frame's <see cref="ReplayFrame.Shows"/>.</summary>
    public static Replay Play(CameraAnalysis camera, IEnumerable<ReplayFrame> frames, Func<int, Surveillance.Analytics.Detection[]> detect)
    {
        var pool = new FramePool(camera.CameraId, VtestDetections.Width, VtestDetections.Height);
        var outputs = new List<EventOutput>();
        var replay = new Replay();
        var lastAt = DateTime.MinValue;
        var lastSequence = 0L;
        foreach (var replayFrame in frames)
        {
            var frame = pool.Rent();
            replayFrame.Pixels.CopyTo(frame.Buffer, 0);
            frame.Stamp(replayFrame.Sequence, replayFrame.CapturedAt);
            try
            {
                if (camera.ShouldDetect(frame, outputs))
                {
                    replay.Analysed.Add(replayFrame.Sequence);
                    camera.Observe(frame, detect(replayFrame.Shows), outputs);
                }
                else
                {
                    replay.Skipped.Add(replayFrame.Sequence);
                }
            }
            finally
            {
                frame.Release();
            }
            replay.Take((int)replayFrame.Sequence, outputs);
            lastAt = replayFrame.CapturedAt;
            lastSequence = replayFrame.Sequence;
        }
        camera.EndAll(EventEndReason.Shutdown, lastAt, outputs);
        replay.Take((int)lastSequence, outputs);
        return replay;
    }

    /// <param name="Sequence">The frame's number in the camera's stream.</param>
    /// <param name="Shows">Which frame of vtest.avi it shows, for the detections that stand in for the detector.</param>
    public readonly record struct ReplayFrame(long Sequence, byte[] Pixels, DateTime CapturedAt, int Shows);

    /// <summary>What a replay produced: every event message with the frame it came on, and the gate's decisions.</summary>
    public sealed class Replay
    {
        public List<(int Frame, EventOutput Output)> Messages { get; } = [];

        /// <summary>Sequence numbers of the frames the motion gate let through to the detector.</summary>
        public List<long> Analysed { get; } = [];

        /// <summary>Sequence numbers of the frames the motion gate kept from the detector.</summary>
        public List<long> Skipped { get; } = [];

        /// <summary>The messages of one rule, grouped by event, in order.</summary>
        public List<List<(int Frame, EventOutput Output)>> EventsOf(string rule) =>
            [.. Messages.Where(m => m.Output.Change.Rule == rule).GroupBy(m => m.Output.Change.EventId).Select(g => g.ToList())];

        internal void Take(int frame, List<EventOutput> outputs)
        {
            foreach (var output in outputs)
                Messages.Add((frame, output));
            outputs.Clear();
        }

        /// <summary>Lets go of the snapshots the replay's events handed over (as the alert stage does once it has published them).</summary>
        public void ReleaseSnapshots()
        {
            foreach (var (_, output) in Messages)
                output.Snapshot?.Release();
        }
    }
}
