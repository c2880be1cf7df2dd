using System.Text;
using Surveillance.Ingest.Vehicles;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

public sealed class VehicleTrackTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private static GpsFix At(double seconds, double lat, double lon) => new(lat, lon, T0.AddSeconds(seconds));

    [Fact]
    public void Between_two_fixes_the_position_is_interpolated_and_the_age_is_the_nearer_fix()
    {
        var track = new VehicleTrack(16, TimeSpan.FromMinutes(2));
        Assert.True(track.TryAdd(At(0, 22.5000, 114.0000)));
        Assert.True(track.TryAdd(At(2, 22.5010, 114.0020)));

        Assert.True(track.TryLocate(T0.AddSeconds(0.5), out var lat, out var lon, out var age));
        Assert.Equal(22.50025, lat, 9);
        Assert.Equal(114.0005, lon, 9);
        Assert.Equal(TimeSpan.FromSeconds(0.5), age);
    }

    [Fact]
    public void Outside_the_track_the_nearest_fix_is_used_and_its_age_grows()
    {
        var track = new VehicleTrack(16, TimeSpan.FromMinutes(2));
        track.TryAdd(At(0, 22.5, 114.0));
        track.TryAdd(At(1, 22.6, 114.1));

        Assert.True(track.TryLocate(T0.AddSeconds(7), out var lat, out var lon, out var age));
        Assert.Equal((22.6, 114.1, TimeSpan.FromSeconds(6)), (lat, lon, age));
        Assert.True(track.TryLocate(T0.AddSeconds(-1), out lat, out _, out age));
        Assert.Equal((22.5, TimeSpan.FromSeconds(1)), (lat, age));
    }

    [Fact]
    public void Replayed_or_reordered_fixes_are_refused()
    {
        var track = new VehicleTrack(16, TimeSpan.FromMinutes(2));
        Assert.True(track.TryAdd(At(5, 22.5, 114.0)));
        Assert.False(track.TryAdd(At(5, 22.6, 114.0)));
        Assert.False(track.TryAdd(At(4, 22.6, 114.0)));
        Assert.Equal(1, track.Count);
    }

    [Fact]
    public void The_track_keeps_its_length_and_its_capacity()
    {
        var track = new VehicleTrack(8, TimeSpan.FromSeconds(10));
        for (var s = 0; s < 30; s++)
            track.TryAdd(At(s, 22.5 + s * 0.0001, 114.0));
        Assert.Equal(8, track.Count);
        Assert.Equal(T0.AddSeconds(29), track.Latest!.Value.FixTime);

        var sparse = new VehicleTrack(64, TimeSpan.FromSeconds(10));
        for (var s = 0; s < 30; s += 3)
            sparse.TryAdd(At(s, 22.5, 114.0));
        Assert.Equal(4, sparse.Count); // 18..27: fixes older than 10 s before the newest are gone
    }

    [Fact]
    public void The_registry_refuses_unknown_vehicles_and_marks_old_fixes_stale()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(T0.AddSeconds(1)));
        var registry = new VehicleRegistry(["van-7"], new VehicleOptions { StaleAfterSeconds = 10 }, clock);
        var fix = Encoding.UTF8.GetBytes("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T12:00:00Z"}""");

        Assert.Equal(GpsFixRejection.UnknownVehicle, registry.Accept("bus-1", fix));
        Assert.False(registry.TryLocate("van-7", T0, out _));
        Assert.Equal(GpsFixRejection.None, registry.Accept("van-7", fix));
        Assert.Equal(GpsFixRejection.NonMonotonic, registry.Accept("van-7", fix));

        Assert.True(registry.TryLocate("van-7", T0.AddSeconds(3), out var fresh));
        Assert.False(fresh.Stale);
        Assert.True(registry.TryLocate("van-7", T0.AddSeconds(11), out var old));
        Assert.True(old.Stale);
        Assert.Equal(TimeSpan.FromSeconds(11), old.FixAge);
    }
}
