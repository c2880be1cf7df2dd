using System.Collections.Concurrent;
using Surveillance.Geodesy;

namespace Surveillance.Ingest.Vehicles;

/// <summary>
/// The GPS tracks of the patrol vehicles that carry this node's cameras. Fixes arrive from MQTT on one
/// thread, locations are asked for on another; each track has its own lock.
/// </summary>
public sealed class VehicleRegistry
{
    /// <summary>Fixes kept per vehicle; at one fix a second this covers the default track length twice over.</summary>
    private const int TrackCapacity = 256;

    private readonly ConcurrentDictionary<string, VehicleTrack> _tracks;
    private readonly TimeSpan _staleAfter;
    private readonly TimeSpan _trackLength;
    private readonly TimeProvider _time;

    public VehicleRegistry(IEnumerable<string> vehicleIds, VehicleOptions options, TimeProvider time)
    {
        _staleAfter = TimeSpan.FromSeconds(options.StaleAfterSeconds);
        _time = time;
        _trackLength = TimeSpan.FromSeconds(options.TrackSeconds);
        _tracks = new ConcurrentDictionary<string, VehicleTrack>(StringComparer.Ordinal);
        foreach (var id in vehicleIds)
            Track(id);
    }

    /// <summary>Starts keeping the vehicle's fixes (a patrol camera on it joined the node); nothing changes if it is tracked already.</summary>
    public void Track(string vehicleId) => _tracks.GetOrAdd(vehicleId, _ => new VehicleTrack(TrackCapacity, _trackLength));

    public bool IsKnown(string vehicleId) => _tracks.ContainsKey(vehicleId);

    /// <summary>Parses and records one position report.</summary>
    public GpsFixRejection Accept(string vehicleId, ReadOnlySpan<byte> payload)
    {
        if (!_tracks.TryGetValue(vehicleId, out var track))
            return GpsFixRejection.UnknownVehicle;
        var rejection = GpsFixParser.TryParse(payload, _time.GetUtcNow().UtcDateTime, out var fix);
        if (rejection != GpsFixRejection.None)
            return rejection;
        lock (track)
            return track.TryAdd(fix) ? GpsFixRejection.None : GpsFixRejection.NonMonotonic;
    }

    /// <summary>
    /// The vehicles whose latest fix is at most <paramref name="maxFixAge"/> old and lies within
    /// <paramref name="radiusMetres"/> of a point, nearest first, at most <paramref name="max"/>.
    /// </summary>
    public List<NearbyVehicle> Nearest(double lat, double lon, double radiusMetres, TimeSpan maxFixAge, int max)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var place = new GeoPoint(lat, lon);
        var nearby = new List<NearbyVehicle>();
        foreach (var (vehicleId, track) in _tracks)
        {
            GpsFix? latest;
            lock (track)
                latest = track.Latest;
            if (latest is not { } fix || now - fix.FixTime > maxFixAge)
                continue;
            var distance = place.DistanceMetres(new GeoPoint(fix.Lat, fix.Lon));
            if (distance <= radiusMetres)
                nearby.Add(new NearbyVehicle(vehicleId, distance, now - fix.FixTime));
        }
        nearby.Sort(static (a, b) => a.DistanceMetres.CompareTo(b.DistanceMetres));
        if (nearby.Count > max)
            nearby.RemoveRange(max, nearby.Count - max);
        return nearby;
    }

    /// <summary>The latest position of every tracked vehicle that has reported one, ordered by vehicle id.</summary>
    public List<VehiclePosition> LatestPositions()
    {
        var positions = new List<VehiclePosition>();
        foreach (var (vehicleId, track) in _tracks)
        {
            GpsFix? latest;
            lock (track)
                latest = track.Latest;
            if (latest is { } fix)
                positions.Add(new VehiclePosition(vehicleId, fix.Lat, fix.Lon, fix.FixTime));
        }
        positions.Sort(static (a, b) => string.CompareOrdinal(a.VehicleId, b.VehicleId));
        return positions;
    }

    /// <summary>Where the vehicle was at <paramref name="time"/>; false when it has never reported.</summary>
    public bool TryLocate(string vehicleId, DateTime time, out VehicleLocation location)
    {
        location = default;
        if (!_tracks.TryGetValue(vehicleId, out var track))
            return false;
        double lat, lon;
        TimeSpan age;
        lock (track)
        {
            if (!track.TryLocate(time, out lat, out lon, out age))
                return false;
        }
        location = new VehicleLocation(vehicleId, lat, lon, age, age > _staleAfter);
        return true;
    }
}
