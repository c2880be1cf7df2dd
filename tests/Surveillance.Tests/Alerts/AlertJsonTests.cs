using System.Text;
using System.Text.Json;
using Surveillance.Alerts;

namespace Surveillance.Tests.Alerts;

public sealed class AlertJsonTests
{
    private static readonly Alert Sample = new()
    {
        Id = "01a217eb-c28f-728f-b624-0ecb79f1dcb8",
        CameraId = "cam-7",
        CameraKind = "fixed",
        GridId = "grid-042",
        Label = "person",
        Score = 0.912,
        Box = new AlertBox(10, 20, 110, 220, 640, 480),
        Location = new AlertLocation(31.2304, 121.4737, AlertLocation.CameraSource),
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
            """{"schemaVersion":1,"id":"01a217eb-c28f-728f-b624-0ecb79f1dcb8","cameraId":"cam-7","cameraKind":"fixed","gridId":"grid-042","label":"person","score":0.912,"box":{"x1":10,"y1":20,"x2":110,"y2":220,"frameWidth":640,"frameHeight":480},"location":{"lat":31.2304,"lon":121.4737,"source":"camera"},"nearbyVehicles":[{"vehicleId":"car-3","distanceM":412.5,"fixAgeMs":1800}],"observedAt":"2026-11-26T12:44:24.007Z","nodeId":"node-1","seq":41}""",
            json);
    }

    [Fact]
    public void Unknown_location_is_null_not_zero()
    {
        var json = AlertJson.Serialize(Sample with { Location = null });
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(json).RootElement.GetProperty("location").ValueKind);
    }

    [Fact]
    public void Round_trips()
    {
        var back = AlertJson.Deserialize(AlertJson.Serialize(Sample))!;
        Assert.Equal(Sample with { NearbyVehicles = [] }, back with { NearbyVehicles = [] });
        Assert.Equal(Sample.NearbyVehicles, back.NearbyVehicles);
    }

    [Fact]
    public void Local_times_are_written_in_UTC()
    {
        var local = new DateTime(2026, 11, 26, 20, 44, 24, 7, DateTimeKind.Local);
        var json = JsonDocument.Parse(AlertJson.Serialize(Sample with { ObservedAt = local }));
        Assert.Equal(local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), json.RootElement.GetProperty("observedAt").GetString());
    }
}
