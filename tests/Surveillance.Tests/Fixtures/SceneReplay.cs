using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;
using Surveillance.Host.Pipeline;
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
        AlertOptions? alerts = null) => new(
        new CameraOptions { Id = CameraId, Kind = kind, DetectWidth = VtestDetections.Width, DetectHeight = VtestDetections.Height },
        scene ?? new SceneOptions(), rules, new TrackerOptions(), alerts ?? new AlertOptions { TimeZone = "UTC" });

    /// <summary>Replays frames <paramref name="first"/> to <paramref name="last"/> and then stops the engine (every open event ends).</summary>
    /// <param name="start">Capture time of frame 0; frame n is captured n × 100 ms later.</param>
    public static Replay Run(VtestDetections detections, CameraAnalysis camera, int first, int last, DateTime? start = null,
        float scoreThreshold = 0.5f)
    {
        var origin = start ?? VtestDetections.Start;
        var pool = new FramePool(CameraId, VtestDetections.Width, VtestDetections.Height);
        var outputs = new List<EventOutput>();
        var replay = new Replay();
        foreach (var (index, image) in VtestDetections.Frames(first, last))
        {
            var frame = pool.Rent();
            image.Pixels.CopyTo(frame.Buffer);
            frame.Stamp(index, origin + index * VtestDetections.FrameInterval);
            try
            {
                if (camera.ShouldDetect(frame, outputs))
                {
                    replay.Analysed.Add(index);
                    camera.Observe(frame, detections.At(index, scoreThreshold), outputs);
                }
                else
                {
                    replay.Skipped.Add(index);
                }
            }
            finally
            {
                frame.Release();
            }
            replay.Take(index, outputs);
        }
        camera.EndAll(EventEndReason.Shutdown, origin + last * VtestDetections.FrameInterval, outputs);
        replay.Take(last, outputs);
        return replay;
    }

    /// <summary>What a replay produced: every event message with the frame it came on, and the gate's decisions.</summary>
    public sealed class Replay
    {
        public List<(int Frame, EventOutput Output)> Messages { get; } = [];

        public List<int> Analysed { get; } = [];

        public List<int> Skipped { get; } = [];

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
