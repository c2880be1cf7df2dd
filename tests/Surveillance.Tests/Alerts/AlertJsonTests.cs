using System.Text;
using System.Text.Json;
using Surveillance.Alerts;

namespace Surveillance.Tests.Alerts;

public sealed class AlertJsonTests
{
    private static readonly Alert Sample = new()
    {
        Id = "01a217eb-c28f-728f-b624-0ecb79f1dcb8",
        Type = "new",
        EventId = "01a217eb-a000-7000-8000-0ecb79f1dcb8",
        Rule = "gate-at-night",
        RuleType = "intrusion",
        Severity = "high",
        TrackId = 42,
        Zones = ["gate"],
        Count = 1,
        StartedAt = new DateTime(2026, 11, 26, 12, 44, 24, 7, DateTimeKind.Utc),
        EndedAt = null,
        TopScore = 0.912,
        HasSnapshot = true,
        CameraId = "cam-7",
        CameraKind = "fixed",
        GridId = "grid-042",
        Label = "person",
        Score = 0.912,
        Box = new AlertBox(10, 20, 110, 220, 640, 480),
        Location = new AlertLocation(31.2304, 121.4737, WireNames.Of(LocationSource.Camera)),
        NearbyVehicles = [new AlertVehicle("car-3", 412.5, 1800)],
        ObservedAt = new DateTime(2026, 11, 26, 12, 44, 24, 7, DateTimeKind.Utc),
        NodeId = "node-1",
        Seq = 41,
    };

    [Fact]
    public void The_payload_is_the_documented_camelCase_schema()
    {
        var json = Encoding.UTF8.GetString(AlertJson.Serialize(Sample));

        Assert.Equal(
            """{"schemaVersion":1,"id":"01a217eb-c28f-728f-b624-0ecb79f1dcb8","type":"new","eventId":"01a217eb-a000-7000-8000-0ecb79f1dcb8","rule":"gate-at-night","ruleType":"intrusion","severity":"high","trackId":42,"zones":["gate"],"count":1,"startedAt":"2026-11-26T12:44:24.007Z","endedAt":null,"topScore":0.912,"hasSnapshot":true,"cameraId":"cam-7","cameraKind":"fixed","gridId":"grid-042","label":"person","score":0.912,"box":{"x1":10,"y1":20,"x2":110,"y2":220,"frameWidth":640,"frameHeight":480},"location":{"lat":31.2304,"lon":121.4737,"source":"camera"},"nearbyVehicles":[{"vehicleId":"car-3","distanceM":412.5,"fixAgeMs":1800}],"observedAt":"2026-11-26T12:44:24.007Z","nodeId":"node-1","seq":41}""",
            json);
    }

    [Fact]
    public void Unknown_location_is_null_not_zero()
    {
        var json = AlertJson.Serialize(Sample with { Location = null });
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(json).RootElement.GetProperty("location").ValueKind);
    }

    [Fact]
    public void An_end_says_when_and_why_and_a_crossing_its_direction()
    {
        var end = Sample with
        {
            Type = "end",
            RuleType = "line",
            Direction = "left",
            EndedAt = new DateTime(2026, 11, 26, 12, 45, 0, 250, DateTimeKind.Utc),
            EndReason = "cleared",
        };
        var json = JsonDocument.Parse(AlertJson.Serialize(end)).RootElement;
        Assert.Equal("2026-11-26T12:45:00.250Z", json.GetProperty("endedAt").GetString());
        Assert.Equal("cleared", json.GetProperty("endReason").GetString());
        Assert.Equal("left", json.GetProperty("direction").GetString());
    }

    [Fact]
    public void A_crowd_has_no_track_and_a_new_has_no_end_reason_or_direction()
    {
        var json = JsonDocument.Parse(AlertJson.Serialize(Sample with { TrackId = null, Count = 4 })).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("trackId").ValueKind);
        Assert.Equal(4, json.GetProperty("count").GetInt32());
        Assert.False(json.TryGetProperty("endReason", out _));
        Assert.False(json.TryGetProperty("direction", out _));
    }

    [Fact]
    public void Round_trips()
    {
        var back = AlertJson.Deserialize(AlertJson.Serialize(Sample))!;
        Assert.Equal(Sample.Zones, back.Zones);
        Assert.Equal(Sample.NearbyVehicles, back.NearbyVehicles);
        Assert.Equal(Sample with { NearbyVehicles = [], Zones = [] }, back with { NearbyVehicles = [], Zones = [] });
    }

    [Fact]
    public void Local_times_are_written_in_UTC()
    {
        var local = new DateTime(2026, 11, 26, 20, 44, 24, 7, DateTimeKind.Local);
        var json = JsonDocument.Parse(AlertJson.Serialize(Sample with { ObservedAt = local }));
        Assert.Equal(local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), json.RootElement.GetProperty("observedAt").GetString());
    }
}
