using OpenCvSharp;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Snapshots;
using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Rules on the real video, through the camera's real pipeline (motion gate, tracker, rules, snapshots),
/// checked against what a person counts in the frames. Coordinates are normalised (x right, y down); frame
/// numbers are vtest.avi's (10 fps, 0–794), analysed at 5 fps like the engine.
/// </summary>
[Collection(VtestDetectionsShared.Name)]
public sealed class RulesOnVtestTests(VtestDetections detections, ITestOutputHelper output)
{
    /// <summary>A vertical line across the whole paved walkway, just left of the lamp post.</summary>
    private const string WalkwayLine = "0.40,0.30 0.40,0.64";

    /// <summary>The walkway just left of the lamp post with the green sign, where two men stand and talk.</summary>
    private const string SignZone = "0.45,0.38 0.54,0.38 0.54,0.52 0.45,0.52";

    /// <summary>The walkway around the lamp post and its sign, where people meet and pass.</summary>
    private const string WalkwayCentre = "0.45,0.38 0.65,0.38 0.65,0.52 0.45,0.52";

    /// <summary>The walkway left of the line, which people cross without stopping.</summary>
    private const string ThroughZone = "0.30,0.35 0.42,0.35 0.42,0.60 0.30,0.60";

    /// <summary>The top right corner, where a white van and a light blue car stand parked all through the video.</summary>
    private const string CarPark = "0.80,0.02 1.00,0.02 1.00,0.20 0.80,0.20";

    /// <remarks>
    /// How the expected counts were made: frames 0–399 were cut to the area around the line (native x 187–427,
    /// y 110–390, the line drawn in) every 4 frames, and every 2 frames where people meet near it (60–100,
    /// 250–350); each person was followed from panel to panel by their clothes and their feet's side of the line
    /// noted. Frame of crossing ≈ the first frame with the feet on the other side.
    /// Right to left (8): black-clad man ≈70, woman in light-blue jacket and white hood ≈168, man in striped
    /// jumper ≈188, man in dark top and jeans ≈230, man in dark jacket who points ≈269, man in black (top of the
    /// walkway) ≈291, man in dark coat and white gloves ≈306, the pointing man again ≈377.
    /// Left to right (5): the black-clad man turning back ≈91, the pointing man turning back ≈300, a bald man in
    /// jeans ≈318, the gloved man turning back ≈331, a man in black ≈336.
    /// The range starts at frame 20: the man walking in at frame 0 crosses nothing before it.
    /// </remarks>
    [Fact]
    public void Crossings_of_a_line_across_the_walkway_are_counted_in_each_direction_as_a_person_counts_them()
    {
        var rules = new CameraRuleOptions
        {
            Rules = { new RuleOptions { Name = "walkway", Type = "line", Severity = "low", Line = WalkwayLine } },
        };
        using var camera = SceneReplay.Camera(rules);
        var replay = SceneReplay.Run(detections, camera, 20, 399);
        replay.ReleaseSnapshots();

        var crossings = replay.EventsOf("walkway");
        foreach (var crossing in crossings)
            output.WriteLine($"frame {crossing[0].Frame}: track {crossing[0].Output.Change.TrackId} crossed {crossing[0].Output.Change.Direction}");
        // A crossing is an instant: its new and its end come together, from the same frame.
        Assert.All(crossings, c =>
        {
            Assert.Equal([EventPhase.New, EventPhase.End], c.Select(m => m.Output.Change.Phase));
            Assert.Equal(c[0].Frame, c[1].Frame);
            Assert.True(c[0].Output.HasSnapshot);
        });
        var left = crossings.Count(c => c[0].Output.Change.Direction == LineDirection.Left);
        var right = crossings.Count(c => c[0].Output.Change.Direction == LineDirection.Right);
        Assert.InRange(left, 8 - 1, 8 + 1);
        Assert.InRange(right, 5 - 1, 5 + 1);
        Assert.Equal(crossings.Count, left + right);
    }

    [Fact]
    public void A_line_with_a_direction_counts_only_that_direction()
    {
        var rules = new CameraRuleOptions
        {
            Rules =
            {
                new RuleOptions { Name = "leftwards", Type = "line", Line = WalkwayLine, Direction = "left" },
                new RuleOptions { Name = "any-way", Type = "line", Line = WalkwayLine },
            },
        };
        using var camera = SceneReplay.Camera(rules);
        var replay = SceneReplay.Run(detections, camera, 20, 399);
        replay.ReleaseSnapshots();

        var leftwards = replay.EventsOf("leftwards");
        var anyWay = replay.EventsOf("any-way");
        Assert.All(leftwards, c => Assert.Equal(LineDirection.Left, c[0].Output.Change.Direction));
        Assert.Equal(anyWay.Count(c => c[0].Output.Change.Direction == LineDirection.Left), leftwards.Count);
        Assert.True(anyWay.Count > leftwards.Count);
    }

    /// <remarks>
    /// Counted by eye on the area around the lamp post, every 10 frames, and every 10 frames from 20 to 160 at
    /// twice the size: the man who walks in from the right at frame 0 stops left of the lamp post by frame ≈30–40
    /// and stands there talking until ≈150, then walks off to the right: about 11–12 s in the sign zone. The man
    /// he talks to stands left of the sign until ≈65 and then behind the sign board (outside the zone) until ≈150.
    /// Everyone else walks through in a few seconds. So a 10 s loitering rule on the sign zone fires once, for the
    /// man on the left, starting ≈10 s after he arrived (frame ≈130–140) and ending once he has left (after ≈150).
    /// Left of the line, the walkway is crossed in 1–3 s (the longest stay is the black-clad man turning round
    /// there, frames ≈64–92): a 10 s loitering rule there never fires.
    /// Around the lamp post, three or more people are together from ≈30–40 (the two men and a man in black
    /// passing; then the couple in a red and a dark jacket walking by) to ≈85–90, four at most (frames ≈70–85):
    /// a crowd rule of 3 people for 3 s fires once, from ≈60–70 to ≈90–110; one of 5 people never fires.
    /// </remarks>
    [Fact]
    public void Loitering_and_crowd_fire_where_people_stand_and_gather_and_not_where_they_pass()
    {
        var rules = new CameraRuleOptions
        {
            Zones =
            {
                new ZoneOptions { Name = "sign", Points = SignZone },
                new ZoneOptions { Name = "walkway-centre", Points = WalkwayCentre },
                new ZoneOptions { Name = "left-walkway", Points = ThroughZone },
            },
            Rules =
            {
                new RuleOptions { Name = "loitering-at-sign", Type = "loitering", Severity = "medium", Zone = "sign", Seconds = 10 },
                new RuleOptions { Name = "loitering-left", Type = "loitering", Zone = "left-walkway", Seconds = 10 },
                new RuleOptions { Name = "gathering-of-3", Type = "crowd", Severity = "high", Zone = "walkway-centre", MinCount = 3, Seconds = 3 },
                new RuleOptions { Name = "gathering-of-5", Type = "crowd", Zone = "walkway-centre", MinCount = 5, Seconds = 3 },
            },
        };
        using var camera = SceneReplay.Camera(rules);
        var replay = SceneReplay.Run(detections, camera, 0, 300);
        try
        {
            foreach (var (frame, message) in replay.Messages)
                output.WriteLine($"frame {frame}: {message.Change.Rule} {message.Change.Phase} track {message.Change.TrackId} count {message.Change.Count} {message.Change.EndReason}");

            var loitering = Assert.Single(replay.EventsOf("loitering-at-sign"));
            AssertOneNewThenOneEnd(loitering);
            Assert.InRange(loitering[0].Frame, 120, 145);
            Assert.InRange(loitering[^1].Frame, 150, 200);
            Assert.Equal(EventEndReason.Cleared, loitering[^1].Output.Change.EndReason);
            Assert.Equal(["sign", "walkway-centre"], loitering[0].Output.Change.Zones);
            Assert.All(loitering, m => Assert.Equal(loitering[0].Output.Change.TrackId, m.Output.Change.TrackId));
            Assert.Equal(Severity.Medium, loitering[0].Output.Change.Severity);
            // The man stands left of the lamp post: his box's foot point is in the sign zone.
            var box = loitering[0].Output.Change.Box;
            Assert.InRange((box.X1 + box.X2) / 2 / VtestDetections.Width, 0.45f, 0.54f);

            Assert.Empty(replay.EventsOf("loitering-left"));

            var crowd = Assert.Single(replay.EventsOf("gathering-of-3"));
            AssertOneNewThenOneEnd(crowd);
            Assert.InRange(crowd[0].Frame, 55, 80);
            Assert.InRange(crowd[^1].Frame, 86, 120);
            Assert.Null(crowd[0].Output.Change.TrackId);
            Assert.Equal(["walkway-centre"], crowd[0].Output.Change.Zones);
            Assert.InRange(crowd[0].Output.Change.Count, 3, 4);
            Assert.Empty(replay.EventsOf("gathering-of-5"));

            AssertSnapshotShowsTheBox(loitering[^1].Output);
        }
        finally
        {
            replay.ReleaseSnapshots();
        }
    }

    /// <remarks>
    /// The white van and the light blue car stand in the top right corner in every frame of the video, and no
    /// other vehicle comes: a 30 s stopped-vehicle rule there fires once for each, ≈30 s after the camera
    /// started (the vehicles must first be confirmed and seen still for 30 s), and the events end only when the
    /// engine stops, with reason shutdown.
    /// </remarks>
    [Fact]
    public void The_parked_van_and_car_are_stopped_vehicles_until_the_engine_stops()
    {
        var rules = new CameraRuleOptions
        {
            Zones = { new ZoneOptions { Name = "car-park", Points = CarPark } },
            Rules = { new RuleOptions { Name = "parked", Type = "stopped", Zone = "car-park", Seconds = 30 } },
        };
        using var camera = SceneReplay.Camera(rules);
        var replay = SceneReplay.Run(detections, camera, 0, detections.LastFrame);
        replay.ReleaseSnapshots();

        var events = replay.EventsOf("parked");
        Assert.Equal(2, events.Count);
        Assert.Equal(["car", "truck"], events.Select(e => e[0].Output.Change.Label).Order());
        Assert.All(events, e =>
        {
            AssertOneNewThenOneEnd(e);
            Assert.InRange(e[0].Frame, 300, 340);
            Assert.Equal(detections.LastFrame, e[^1].Frame);
            Assert.Equal(EventEndReason.Shutdown, e[^1].Output.Change.EndReason);
        });
    }

    /// <remarks>
    /// The camera is made to start at 21:59:40 in Shanghai (UTC+8), so 22:00 falls on frame 200. People stand
    /// and pass around the lamp post all along (see the loitering test): an intrusion rule for 22:00–06:00
    /// raises events only from frame 200 on, while the same rule without a window also raises them before.
    /// </remarks>
    [Fact]
    public void An_intrusion_rule_with_a_night_window_fires_only_inside_the_window_in_its_time_zone()
    {
        var rules = new CameraRuleOptions
        {
            Zones = { new ZoneOptions { Name = "walkway-centre", Points = WalkwayCentre } },
            Rules =
            {
                new RuleOptions { Name = "at-night", Type = "intrusion", Severity = "critical", Zone = "walkway-centre", ActiveFrom = "22:00", ActiveTo = "06:00" },
                new RuleOptions { Name = "all-day", Type = "intrusion", Zone = "walkway-centre" },
            },
        };
        var start = new DateTime(2026, 11, 26, 13, 59, 40, DateTimeKind.Utc);
        using var camera = SceneReplay.Camera(rules, alerts: new Surveillance.Alerts.AlertOptions { TimeZone = "Asia/Shanghai" });
        var replay = SceneReplay.Run(detections, camera, 0, 300, start);
        replay.ReleaseSnapshots();

        var night = replay.EventsOf("at-night");
        var allDay = replay.EventsOf("all-day");
        Assert.NotEmpty(night);
        Assert.All(night, e => Assert.True(e[0].Frame >= 200, $"started at frame {e[0].Frame}"));
        Assert.All(night, e => Assert.True(e[0].Output.Change.StartedAt >= start.AddSeconds(20)));
        Assert.Contains(allDay, e => e[0].Frame < 200);
        Assert.All(night.Concat(allDay), AssertOneNewThenOneEnd);
    }

    private static void AssertOneNewThenOneEnd(List<(int Frame, EventOutput Output)> messages)
    {
        var phases = messages.Select(m => m.Output.Change.Phase).ToList();
        Assert.Equal(EventPhase.New, phases[0]);
        Assert.Equal(EventPhase.End, phases[^1]);
        Assert.Equal(1, phases.Count(p => p == EventPhase.New));
        Assert.Equal(1, phases.Count(p => p == EventPhase.End));
        Assert.All(phases.Skip(1).SkipLast(1), p => Assert.Equal(EventPhase.Update, p));
        Assert.NotNull(messages[^1].Output.Change.EndedAt);
        Assert.True(messages[^1].Output.Change.EndedAt >= messages[0].Output.Change.StartedAt);
    }

    /// <summary>The snapshot is a JPEG of the frame with the event's box drawn in red.</summary>
    private static void AssertSnapshotShowsTheBox(EventOutput end)
    {
        Assert.True(end.HasSnapshot);
        var snapshot = Assert.IsType<EventSnapshot>(end.Snapshot);
        var boxes = snapshot.Boxes.ToArray();
        var jpeg = SnapshotRenderer.Render(snapshot.Frame.Pixels, snapshot.Frame.Width, snapshot.Frame.Height, boxes);

        using var decoded = Cv2.ImDecode(jpeg, ImreadModes.Color);
        Assert.Equal(VtestDetections.Width, decoded.Width);
        Assert.Equal(VtestDetections.Height, decoded.Height);
        var box = boxes[0];
        var edge = decoded.At<Vec3b>((int)((box.Box.Y1 + box.Box.Y2) / 2), (int)box.Box.X1);
        Assert.True(edge.Item2 > 150 && edge.Item1 < 100 && edge.Item0 < 100, $"box edge pixel is BGR {edge.Item0},{edge.Item1},{edge.Item2}");
    }
}
