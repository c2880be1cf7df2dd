using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Tests.Alerts;

/// <summary>The arithmetic under the rules: lines, windows, zones and the update rate of events.</summary>
public sealed class RuleGeometryTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_path_crosses_a_line_only_between_its_ends()
    {
        var line = CrossingLine.Parse("0.5,0.25 0.5,0.75");
        Assert.True(line.Segment.IsCrossedBy(new(300, 240), new(340, 240), 640, 480));    // across the middle
        Assert.False(line.Segment.IsCrossedBy(new(300, 60), new(340, 60), 640, 480));     // above its top end (y 120)
        Assert.False(line.Segment.IsCrossedBy(new(300, 400), new(340, 400), 640, 480));   // below its bottom end (y 360)
        Assert.True(line.Segment.SignedDistance(new(300, 240), 640, 480) * line.Segment.SignedDistance(new(340, 240), 640, 480) < 0);
    }

    [Theory]
    [InlineData("0.5,0.25 0.5,0.75", true, LineDirection.Left)]     // A above B: the normal points left
    [InlineData("0.5,0.25 0.5,0.75", false, LineDirection.Right)]
    [InlineData("0.2,0.5 0.8,0.5", true, LineDirection.Down)]       // A left of B: the normal points down (y grows downwards)
    [InlineData("0.2,0.5 0.8,0.5", false, LineDirection.Up)]
    public void A_crossing_is_reported_in_the_direction_it_moves_in_the_picture(string text, bool towardsPositive, LineDirection reported)
    {
        var line = CrossingLine.Parse(text);
        Assert.Equal((true, reported), line.Judge(towardsPositive, LineDirection.Any, 640, 480));
        Assert.True(line.Judge(towardsPositive, reported, 640, 480).Counts);
    }

    [Fact]
    public void A_night_window_spans_midnight_on_the_zones_wall_clock_through_daylight_saving()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var night = new DailyWindow(new TimeOnly(22, 0), new TimeOnly(6, 0), london);
        // Winter: London is UTC.
        Assert.False(night.Contains(new DateTime(2026, 1, 10, 21, 59, 0, DateTimeKind.Utc)));
        Assert.True(night.Contains(new DateTime(2026, 1, 10, 22, 0, 0, DateTimeKind.Utc)));
        Assert.True(night.Contains(new DateTime(2026, 1, 11, 5, 59, 0, DateTimeKind.Utc)));
        Assert.False(night.Contains(new DateTime(2026, 1, 11, 6, 0, 0, DateTimeKind.Utc)));
        // Summer: London is UTC+1, so 22:00 there is 21:00 UTC.
        Assert.True(night.Contains(new DateTime(2026, 7, 10, 21, 0, 0, DateTimeKind.Utc)));
        Assert.False(night.Contains(new DateTime(2026, 7, 11, 5, 0, 0, DateTimeKind.Utc)));

        var day = new DailyWindow(new TimeOnly(8, 0), new TimeOnly(18, 0), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        Assert.True(day.Contains(new DateTime(2026, 1, 10, 0, 0, 0, DateTimeKind.Utc)));    // 08:00 in Shanghai
        Assert.False(day.Contains(new DateTime(2026, 1, 10, 10, 0, 0, DateTimeKind.Utc)));  // 18:00 in Shanghai
    }

    [Fact]
    public void A_zone_contains_the_points_inside_its_outline()
    {
        var zone = NormalizedPolygon.Parse("0.1,0.1 0.9,0.1 0.5,0.9");
        Assert.True(zone.Contains(0.5f, 0.3f));
        Assert.False(zone.Contains(0.15f, 0.8f));
        Assert.False(zone.Contains(0.95f, 0.5f));
    }

    [Fact]
    public void Material_changes_are_sent_as_updates_at_most_once_per_interval_and_every_event_ends_once()
    {
        var rules = new CameraRules("cam", new CameraRuleOptions
        {
            Zones = { new ZoneOptions { Name = "left", Points = "0,0 0.5,0 0.5,1 0,1" }, new ZoneOptions { Name = "right", Points = "0.5,0 1,0 1,1 0.5,1" } },
            Rules = { new RuleOptions { Name = "anyone", Type = "any" } },
        }, new AlertOptions { TimeZone = "UTC", UpdateIntervalSeconds = 5, ClearSeconds = 2 });
        var book = rules.Book;

        // A person walks from the left zone to the right one at t = 1 s and stays there; seen every 200 ms.
        for (var ms = 0; ms <= 8000; ms += 200)
        {
            var x = ms < 1000 ? 100f : 500f;
            rules.Evaluate(new SceneFrame(T0.AddMilliseconds(ms), 640, 480),
                [new SceneObject(7, "person", 0.8f, 0.8f, new BoundingBox(x, 100, x + 40, 200), true, T0.AddMilliseconds(ms), T0, new(x + 20, 200))]);
        }
        // Gone from the scene: the event ends, dated when it was last seen.
        rules.Evaluate(new SceneFrame(T0.AddSeconds(9), 640, 480), []);

        var phases = book.Changes.Select(c => (c.Phase, c.ObservedAt - T0)).ToList();
        Assert.Equal(
            [(EventPhase.New, TimeSpan.Zero), (EventPhase.Update, TimeSpan.FromSeconds(5)), (EventPhase.End, TimeSpan.FromSeconds(9))],
            phases);
        Assert.Equal(["left"], book.Changes[0].Zones);
        Assert.Equal(["right"], book.Changes[1].Zones);
        Assert.Equal(EventEndReason.Lost, book.Changes[2].EndReason);
        Assert.Equal(T0.AddSeconds(8), book.Changes[2].EndedAt);
        Assert.Single(book.Changes.Select(c => c.EventId).Distinct());
        Assert.Equal(0, book.OpenCount);
    }
}
