using Surveillance.Cameras.Inventory;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Tracking;
using Surveillance.Host.Configuration;
using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Analysis;
using Surveillance.Cameras.Detectors;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>The worked rule configuration of docs/rules.md, read from that file itself, does on the video what the file says.</summary>
[Collection(VtestDetectionsShared.Name)]
public sealed partial class WorkedExampleTests(VtestDetections detections, ITestOutputHelper output)
{
    [Fact]
    public void The_documented_worked_configuration_fires_as_documented()
    {
        var configuration = RulesDocConfiguration();
        var set = new CameraSet();
        set.Bind(configuration);
        Assert.Empty(set.Validate());
        var alerts = new AlertOptions();
        configuration.GetSection("Alerts").Bind(alerts, o => o.ErrorOnUnknownConfiguration = true);
        Assert.Empty(alerts.Validate());

        using var camera = new CameraAnalysis(set.Records[0].Camera, set.Records[0].Scene, set.Records[0].Rules, new TrackerOptions(), alerts, FreshMetrics.Pipeline().ForCamera(set.Records[0].Id));
        // 21:59:40 in Shanghai: the night window opens at frame 200.
        var start = new DateTime(2026, 11, 26, 13, 59, 40, DateTimeKind.Utc);
        var replay = SceneReplay.Run(detections, camera, 0, detections.LastFrame, start);
        replay.ReleaseSnapshots();

        foreach (var rule in new[] { "walkway-crossing", "loitering-at-sign", "gathering", "parked-vehicle", "night-intrusion", "anyone" })
        {
            var events = replay.EventsOf(rule);
            output.WriteLine($"{rule}: {events.Count} events; {string.Join(", ", events.Take(12).Select(e => $"{e[0].Frame}-{e[^1].Frame}"))}");
            Assert.All(events, e =>
            {
                Assert.Equal(EventPhase.New, e[0].Output.Change.Phase);
                Assert.Equal(EventPhase.End, e[^1].Output.Change.Phase);
                Assert.Single(e, m => m.Output.Change.Phase == EventPhase.New);
                Assert.Single(e, m => m.Output.Change.Phase == EventPhase.End);
            });
        }

        var leftwards = replay.EventsOf("walkway-crossing").Where(e => e[0].Frame is >= 20 and <= 399).ToList();
        Assert.All(leftwards, e => Assert.Equal(LineDirection.Left, e[0].Output.Change.Direction));
        Assert.InRange(leftwards.Count, 8 - 1, 8 + 1);
        var loitering = replay.EventsOf("loitering-at-sign").Where(e => e[0].Frame < 300).ToList();
        var atSign = Assert.Single(loitering);
        Assert.InRange(atSign[0].Frame, 120, 145);
        Assert.Single(replay.EventsOf("gathering"), e => e[0].Frame < 150);
        var parked = replay.EventsOf("parked-vehicle");
        Assert.Equal(2, parked.Count);
        Assert.All(parked, e => Assert.Equal(EventEndReason.Shutdown, e[^1].Output.Change.EndReason));
        var night = replay.EventsOf("night-intrusion");
        Assert.NotEmpty(night);
        Assert.All(night, e => Assert.True(e[0].Frame >= 200));
    }

    /// <summary>The first JSON block of docs/rules.md, wrapped into a configuration file.</summary>
    private static IConfiguration RulesDocConfiguration()
    {
        var rules = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "rules.md"));
        var json = JsonBlock().Match(rules).Groups["json"].Value
            .Replace("\"Url\": \"media/vtest.avi\"", $"\"Url\": \"{RepoPaths.VtestAvi}\"", StringComparison.Ordinal);
        return new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes("{" + json + "}"))).Build();
    }

    [GeneratedRegex("```json\\n(?<json>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
