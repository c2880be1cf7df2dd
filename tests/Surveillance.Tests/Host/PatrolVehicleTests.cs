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

        // While the vehicle reports: every alert is on the route where the vehicle was at capture time. Between two
        // fixes the interpolation is exact on a straight road; after the newest fix the vehicle is held where it last
        // reported, so the alert is off the route by at most the distance driven since that fix, whatever the pace of
        // the fixes on a busy machine (a fix every 0.5 s: at most ~6 m).
        var moving = await AlertsOfAsync(alerts, "van7-front", count: 5, TimeSpan.FromSeconds(40));
        // Alerts of one frame share its capture time: wait for a later frame, to see the vehicle move.
        var laterFrame = DateTime.UtcNow.AddSeconds(30);
        while (moving.Select(ObservedAt).Distinct().Count() < 2)
        {
            Assert.True(DateTime.UtcNow < laterFrame, "every alert within 30 s came from one frame");
            moving.AddRange(await AlertsOfAsync(alerts, "van7-front", count: 1, TimeSpan.FromSeconds(20)));
        }
        foreach (var alert in moving)
        {
            var location = alert.GetProperty("location");
            var observedAt = ObservedAt(alert);
            var fixAge = location.GetProperty("fixAgeMs").GetInt64();
            var error = Geo.DistanceMetres(location.GetProperty("lat").GetDouble(), location.GetProperty("lon").GetDouble(),
                van7.LatAt(observedAt), van7.Lon);
            output.WriteLine($"{alert.GetProperty("id").GetString()} {observedAt:HH:mm:ss.fff} off route by {error:0.00} m, fix age {fixAge} ms");
            Assert.Equal("vehicle-gps", location.GetProperty("source").GetString());
            Assert.Equal("van-7", location.GetProperty("vehicleId").GetString());
            Assert.False(location.GetProperty("stale").GetBoolean());
            // Not stale: the fix used is younger than Vehicles:StaleAfterSeconds.
            Assert.InRange(fixAge, 0, 3000);
            Assert.True(error <= van7.Speed * fixAge / 1000.0 + 0.5, $"alert {error:0.00} m off the route with a fix {fixAge} ms old");
        }
        var byTime = moving.OrderBy(ObservedAt).ToList();
        Assert.True(Lat(byTime[^1]) > Lat(byTime[0]), "the alerts move north with the vehicle");

        // The unit goes quiet: alerts keep coming, marked stale, held at the last fix. Those of frames captured
        // more than Vehicles:StaleAfterSeconds (3 s) after it must say so, however late they arrive.
        await van7.StopReportingAsync();
        var lastFix = van7.LastFixTime!.Value;
        var quiet = new List<JsonElement>();
        var quietDeadline = DateTime.UtcNow.AddSeconds(30);
        while (quiet.Count < 2)
        {
            Assert.True(DateTime.UtcNow < quietDeadline, $"{quiet.Count} alerts of frames captured 3.5 s after the last fix within 30 s");
            quiet.AddRange((await AlertsOfAsync(alerts, "van7-front", count: 1, TimeSpan.FromSeconds(20)))
                .Where(a => ObservedAt(a) > lastFix.AddSeconds(3.5)));
        }
        Assert.All(quiet, alert =>
        {
            var location = alert.GetProperty("location");
            Assert.True(location.GetProperty("stale").GetBoolean());
            // The age is that of the last fix, to the millisecond, and the place is where it put the vehicle.
            Assert.InRange(location.GetProperty("fixAgeMs").GetInt64(), (ObservedAt(alert) - lastFix).TotalMilliseconds - 1, (ObservedAt(alert) - lastFix).TotalMilliseconds + 1);
            Assert.True(Geo.DistanceMetres(location.GetProperty("lat").GetDouble(), location.GetProperty("lon").GetDouble(), van7.LatAt(lastFix), van7.Lon) < 0.5);
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
        var burst = System.Diagnostics.Stopwatch.StartNew();
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
        foreach (var (reason, atLeast) in Reasons)
            Assert.True(Rejected(metrics, reason) >= atLeast, $"{reason}: {Rejected(metrics, reason)} < {atLeast}");

        // ...the log got a warning per reason and then at most one more per reason each 10 s the reports kept
        // coming (however long a busy machine took over them), not hundreds...
        var warnings = logs.Lines.Where(l => l.Contains("GPS report on", StringComparison.Ordinal)).ToList();
        var mostPerReason = 1 + (int)Math.Ceiling(burst.Elapsed.TotalSeconds / 10);
        output.WriteLine($"{warnings.Count} GPS warnings logged for ~500 bad reports in {burst.Elapsed.TotalSeconds:0.0} s");
        foreach (var (reason, _) in Reasons)
            Assert.InRange(warnings.Count(l => l.Contains($"refused: {reason} (", StringComparison.Ordinal)), 1, mostPerReason);

        // ...and the engine is as alive as before: good fixes are taken and alerts still go out.
        Assert.True(Exposition.Value(metrics, "surveillance_gps_fixes_accepted_total", "vehicle=\"van-7\"") > 0);
        await alerts.CollectAsync(TimeSpan.Zero);
        var after = await AlertsOfAsync(alerts, "van7-front", count: 1, TimeSpan.FromSeconds(20));
        Assert.Equal("vehicle-gps", after[0].GetProperty("location").GetProperty("source").GetString());
    }

    private const int GpsPayloadLimit = 4096;

    private static DateTime ObservedAt(JsonElement alert) => alert.GetProperty("observedAt").GetDateTime().ToUniversalTime();

    private static double Lat(JsonElement alert) => alert.GetProperty("location").GetProperty("lat").GetDouble();

    /// <summary>Each reason of the bad reports the test sends, and how many of them it sends at least.</summary>
    private static readonly (string Reason, double AtLeast)[] Reasons =
        [("malformed", 60), ("missing-field", 20), ("out-of-range", 60), ("bad-time", 60), ("non-monotonic", 20), ("unknown-vehicle", 20), ("too-large", 1)];

    private static double Rejected(string metrics, string reason) =>
        Exposition.CounterValue(metrics, "surveillance_gps_fixes_rejected_total", $"reason=\"{reason}\"");

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
