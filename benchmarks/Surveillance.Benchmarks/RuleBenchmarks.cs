using BenchmarkDotNet.Attributes;
using Surveillance.Alerts;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;

namespace Surveillance.Benchmarks;

/// <summary>
/// One frame of rule evaluation with 50 tracked people: four zones, and a line, a loitering, a crowd, a
/// stopped-vehicle, a night-intrusion and an any rule. The people walk across zones and the line, so events
/// start, change and end along the way: the allocations reported are those of the messages that go out.
/// </summary>
[MemoryDiagnoser]
public class RuleBenchmarks
{
    private SceneObject[][] _frames = [];
    private CameraRules _rules = null!;
    private DateTime _now;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        var crowd = new MovingCrowd();
        var tracker = new MultiObjectTracker(new TrackerOptions(), ObjectFilter.None);
        var start = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
        // Two rounds of tracking, so that the second, recorded one has every track confirmed.
        _frames = new SceneObject[MovingCrowd.Frames][];
        for (var i = 0; i < 2 * MovingCrowd.Frames; i++)
        {
            var f = i % MovingCrowd.Frames;
            _frames[f] = [.. tracker.Update(crowd.Detections[f], start + i * MovingCrowd.FrameInterval, MovingCrowd.Width, MovingCrowd.Height).ToArray()
                .Where(t => t.IsConfirmed)
                .Select(t => new SceneObject(t.TrackId, t.Label, t.Score, t.TrackScore, t.Box, t.SeenThisFrame,
                    t.LastSeen, t.StationarySince, t.Origin))];
        }

        _rules = new CameraRules("bench", new CameraRuleOptions
        {
            Zones =
            {
                new ZoneOptions { Name = "north", Points = "0,0 1,0 1,0.4 0,0.4" },
                new ZoneOptions { Name = "south", Points = "0,0.6 1,0.6 1,1 0,1" },
                new ZoneOptions { Name = "west", Points = "0,0 0.3,0 0.3,1 0,1" },
                new ZoneOptions { Name = "centre", Points = "0.3,0.3 0.7,0.3 0.7,0.7 0.3,0.7" },
            },
            Rules =
            {
                new RuleOptions { Name = "crossing", Type = "line", Line = "0.5,0.1 0.5,0.9" },
                new RuleOptions { Name = "loitering", Type = "loitering", Zone = "centre", Seconds = 20 },
                new RuleOptions { Name = "crowd", Type = "crowd", Zone = "north", MinCount = 10, Seconds = 5 },
                new RuleOptions { Name = "stopped", Type = "stopped", Zone = "south", Seconds = 30, Labels = { "person" } },
                new RuleOptions { Name = "night", Type = "intrusion", Zone = "west", ActiveFrom = "22:00", ActiveTo = "06:00" },
                new RuleOptions { Name = "anyone", Type = "any" },
            },
        }, new AlertOptions { TimeZone = "UTC" });
        _now = new DateTime(2026, 11, 26, 21, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < MovingCrowd.Frames; i++)
            Evaluate();
    }

    [Benchmark(Description = "Rules, 50 objects, 6 rules, 4 zones")]
    public int Evaluate()
    {
        _now += MovingCrowd.FrameInterval;
        _rules.Evaluate(new SceneFrame(_now, 640, 480), _frames[_frame]);
        _frame = (_frame + 1) % MovingCrowd.Frames;
        var messages = _rules.Book.Changes.Count;
        _rules.Book.Changes.Clear();
        _rules.Book.FrameRequests.Clear();
        return messages;
    }
}
