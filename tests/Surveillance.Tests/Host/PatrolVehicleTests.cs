using System.Text;
using System.Text.Json;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Host;

/// <summary>
/// Patrol cameras on real parts: a vehicle publishing GPS fixes to mosquitto while the engine detects people
/// in its camera's video. Alerts must sit on the vehicle's route at the moment the frame was captured.
/// </summary>
public sealed class PatrolVehicleTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> PatrolEngine(int brokerPort) => new()
    {
        ["Node:Id"] = "node-patrol",
        ["Mqtt:Host"] = "127.0.0.1",
        ["Mqtt:Port"] = brokerPort.ToString(),
        ["Mqtt:TopicPrefix"] = "pt",
        ["Alerts:UpdateIntervalSeconds"] = "1",
        ["Vehicles:StaleAfterSeconds"] = "3",
        ["Detector:Classes:0"] = "person",
        ["Cameras:0:Id"] = "van7-front",
        ["Cameras:0:Url"] = RepoPaths.VtestAvi,
        ["Cameras:0:Kind"] = "patrol",
        ["Cameras:0:VehicleId"] = "van-7",
        ["Cameras:0:Latitude"] = "",
        ["Cameras:0:Longitude"] = "",
        ["Cameras:0:GridId"] = "grid-9",
        ["Cameras:1:Id"] = "van8-front",
        ["Cameras:1:Url"] = RepoPaths.VtestAvi,
        ["Cameras:1:Kind"] = "patrol",
        ["Cameras:1:VehicleId"] = "van-8",
        ["Cameras:1:GridId"] = "grid-9",
        ["Cameras:1:DetectFps"] = "1",
    };

    [Fact]
    public async Task Alerts_from_a_moving_vehicle_follow_its_route_turn_stale_when_fixes_stop_and_say_why_without_any_fix()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var alerts = await MqttTestSubscriber.ConnectAsync(broker.Port, "pt/alerts/#", TimeSpan.FromSeconds(10));
        // 12 m/s north (43 km/h), fixes every 0.5 s.
        await using var van7 = await VehicleSimulator.StartAsync(broker.Port, "pt/vehicles/van-7/position", 22.5400, 114.0500, speed: 12);
        await using var engine = await EngineUnderTest.StartAsync(PatrolEngine(broker.Port));

        // While the vehicle reports: every alert is on the route where the vehicle was at capture time.
        var moving = await AlertsOfAsync(alerts, "van7-front", count: 5, TimeSpan.FromSeconds(40));
        foreach (var alert in moving)
        {
            var location = alert.GetProperty("location");
            var observedAt = alert.GetProperty("observedAt").GetDateTime().ToUniversalTime();
            var error = Geo.DistanceMetres(location.GetProperty("lat").GetDouble(), location.GetProperty("lon").GetDouble(),
                van7.LatAt(observedAt), van7.Lon);
            output.WriteLine($"{alert.GetProperty("id").GetString()} {observedAt:HH:mm:ss.fff} off route by {error:0.00} m, fix age {location.GetProperty("fixAgeMs").GetInt64()} ms");
            Assert.Equal("vehicle-gps", location.GetProperty("source").GetString());
            Assert.Equal("van-7", location.GetProperty("vehicleId").GetString());
            Assert.False(location.GetProperty("stale").GetBoolean());
            // Between two fixes the interpolation is exact on a straight road; after the newest fix the
            // vehicle is held where it last reported, which at 12 m/s and a fix every 0.5 s is at most ~6 m.
            Assert.True(error < 8, $"alert {error:0.0} m off the route");
            Assert.InRange(location.GetProperty("fixAgeMs").GetInt64(), 0, 600);
        }
        var lats = moving.Select(a => a.GetProperty("location").GetProperty("lat").GetDouble()).ToArray();
        Assert.True(lats.Last() > lats.First(), "the alerts move north with the vehicle");

        // The unit goes quiet: alerts keep coming, marked stale, held at the last fix.
        await van7.StopReportingAsync();
        var lastFixLat = van7.LatAt(DateTime.UtcNow);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await alerts.CollectAsync(TimeSpan.Zero); // drop what was queued before the silence
        var quiet = await AlertsOfAsync(alerts, "van7-front", count: 2, TimeSpan.FromSeconds(20));
        Assert.All(quiet, alert =>
        {
            var location = alert.GetProperty("location");
            Assert.True(location.GetProperty("stale").GetBoolean());
            Assert.True(location.GetProperty("fixAgeMs").GetInt64() > 3000);
            Assert.True(Geo.DistanceMetres(location.GetProperty("lat").GetDouble(), location.GetProperty("lon").GetDouble(), lastFixLat, van7.Lon) < 8);
        });

        // A vehicle that never reported: no location at all, and the reason, never 0,0.
        var blind = Assert.Single(await AlertsOfAsync(alerts, "van8-front", count: 1, TimeSpan.FromSeconds(20)));
        Assert.Equal(JsonValueKind.Null, blind.GetProperty("location").ValueKind);
        Assert.Equal("no GPS fix received from vehicle van-8", blind.GetProperty("locationUnavailableReason").GetString());
        Assert.Equal("patrol", blind.GetProperty("cameraKind").GetString());
    }

    [Fact]
    public async Task Garbage_GPS_reports_are_refused_counted_and_logged_sparingly_while_alerts_keep_flowing()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var alerts = await MqttTestSubscriber.ConnectAsync(broker.Port, "pt/alerts/#", TimeSpan.FromSeconds(10));
        await using var van7 = await VehicleSimulator.StartAsync(broker.Port, "pt/vehicles/van-7/position", 22.5400, 114.0500, speed: 0);
        await using var unknown = await VehicleSimulator.StartAsync(broker.Port, "pt/vehicles/bus-99/position", 22.5400, 114.0500, speed: 0);
        await unknown.StopReportingAsync();
        var logs = new RecordingLoggerProvider();
        await using var engine = await EngineUnderTest.StartAsync(PatrolEngine(broker.Port), logs);
        await AlertsOfAsync(alerts, "van7-front", count: 1, TimeSpan.FromSeconds(30));

        var now = DateTime.UtcNow;
        var random = new Random(7);
        string[] cases =
        [
            "not json at all",
            """{"lat":22.54,"lon":114.05,"fixTime":"2026-11-26T12:""",                       // truncated
            """{"lat":"north","lon":114.05,"fixTime":"2026-11-26T12:00:00Z"}""",              // wrong type
            """{"lon":114.05,"fixTime":"2026-11-26T12:00:00Z"}""",                            // no lat
            """{"lat":95.0,"lon":114.05,"fixTime":"2026-11-26T12:00:00Z"}""",                 // out of range
            """{"lat":0,"lon":0,"fixTime":"2026-11-26T12:00:00Z"}""",                         // null island
            """{"lat":22.54,"lon":114.05,"fixTime":"yesterday"}""",                           // bad time
            """{"lat":22.54,"lon":114.05,"fixTime":"2026-11-26T12:00:00"}""",                 // no zone
            $$"""{"lat":22.54,"lon":114.05,"fixTime":"{{now.AddHours(1):O}}"}""",             // future
            """{"lat":22.54,"lon":114.05,"fixTime":"2020-01-01T00:00:00Z"}""",                // older than the track: non-monotonic
            """[1,2,3]""",
            """{"lat":1e400,"lon":114.05,"fixTime":"2026-11-26T12:00:00Z"}""",
        ];
        for (var round = 0; round < 20; round++)
        {
            foreach (var payload in cases)
                await van7.PublishAsync(Encoding.UTF8.GetBytes(payload));
            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            await van7.PublishAsync(noise);
            await unknown.PublishAsync(Encoding.UTF8.GetBytes($$"""{"lat":22.54,"lon":114.05,"fixTime":"{{DateTime.UtcNow:O}}"}"""));
        }
        await van7.PublishAsync(new byte[GpsPayloadLimit + 1]);

        // Every bad report was counted under its reason...
        var deadline = DateTime.UtcNow.AddSeconds(15);
        string metrics;
        do
        {
            await Task.Delay(500);
            metrics = await engine.ScrapeMetricsAsync();
        }
        while (Rejected(metrics, "unknown-vehicle") < 20 && DateTime.UtcNow < deadline);
        foreach (var (reason, atLeast) in new[] { ("malformed", 60.0), ("missing-field", 20), ("out-of-range", 60), ("bad-time", 60), ("non-monotonic", 20), ("unknown-vehicle", 20), ("too-large", 1) })
            Assert.True(Rejected(metrics, reason) >= atLeast, $"{reason}: {Rejected(metrics, reason)} < {atLeast}");

        // ...the log got a handful of warnings, not hundreds...
        var warnings = logs.Lines.Count(l => l.Contains("GPS report on", StringComparison.Ordinal));
        output.WriteLine($"{warnings} GPS warnings logged for ~500 bad reports");
        Assert.InRange(warnings, 7, 20);

        // ...and the engine is as alive as before: good fixes are taken and alerts still go out.
        Assert.True(Exposition.Value(metrics, "surveillance_gps_fixes_accepted_total", "vehicle=\"van-7\"") > 0);
        await alerts.CollectAsync(TimeSpan.Zero);
        var after = await AlertsOfAsync(alerts, "van7-front", count: 1, TimeSpan.FromSeconds(20));
        Assert.Equal("vehicle-gps", after[0].GetProperty("location").GetProperty("source").GetString());
    }

    private const int GpsPayloadLimit = 4096;

    private static double Rejected(string metrics, string reason) =>
        System.Text.RegularExpressions.Regex.Match(metrics, $"^surveillance_gps_fixes_rejected_total\\{{reason=\"{reason}\"\\}} (\\S+)$",
            System.Text.RegularExpressions.RegexOptions.Multiline) is { Success: true } m
            ? double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private static async Task<List<JsonElement>> AlertsOfAsync(MqttTestSubscriber alerts, string cameraId, int count, TimeSpan timeout)
    {
        var found = new List<JsonElement>();
        var deadline = DateTime.UtcNow + timeout;
        while (found.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"only {found.Count} of {count} alerts from {cameraId} within {timeout.TotalSeconds} s");
            var (_, payload) = await alerts.WaitForAsync(
                (_, p) => JsonDocument.Parse(p).RootElement.GetProperty("cameraId").GetString() == cameraId, left);
            found.Add(JsonDocument.Parse(payload).RootElement.Clone());
        }
        return found;
    }
}
