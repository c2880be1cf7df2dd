namespace Surveillance.Ingest.Vehicles;

/// <summary>
/// The recent fixes of one vehicle, oldest first, in a fixed ring: enough to interpolate where the vehicle
/// was when a frame was captured, which is usually between two fixes.
/// </summary>
public sealed class VehicleTrack
{
    private readonly GpsFix[] _fixes;
    private readonly TimeSpan _keep;
    private int _start;
    private int _count;

    public VehicleTrack(int capacity, TimeSpan keep)
    {
        _fixes = new GpsFix[capacity];
        _keep = keep;
    }

    public int Count => _count;

    public GpsFix? Latest => _count == 0 ? null : At(_count - 1);

    /// <summary>Adds a fix; refuses one not later than the latest (replayed or reordered).</summary>
    public bool TryAdd(in GpsFix fix)
    {
        if (_count > 0 && fix.FixTime <= At(_count - 1).FixTime)
            return false;
        if (_count == _fixes.Length)
        {
            _start = (_start + 1) % _fixes.Length;
            _count--;
        }
        _fixes[(_start + _count) % _fixes.Length] = fix;
        _count++;
        while (_count > 1 && fix.FixTime - At(0).FixTime > _keep)
        {
            _start = (_start + 1) % _fixes.Length;
            _count--;
        }
        return true;
    }

    /// <summary>
    /// The position at <paramref name="time"/>: interpolated between the fixes around it, else the nearest
    /// fix (a vehicle whose reports stopped is assumed where it last reported, and the age says how long ago).
    /// </summary>
    public bool TryLocate(DateTime time, out double lat, out double lon, out TimeSpan fixAge)
    {
        (lat, lon, fixAge) = (0, 0, TimeSpan.Zero);
        if (_count == 0)
            return false;

        var first = At(0);
        var last = At(_count - 1);
        if (time <= first.FixTime)
        {
            (lat, lon, fixAge) = (first.Lat, first.Lon, first.FixTime - time);
            return true;
        }
        if (time >= last.FixTime)
        {
            (lat, lon, fixAge) = (last.Lat, last.Lon, time - last.FixTime);
            return true;
        }

        for (var i = 1; i < _count; i++)
        {
            var after = At(i);
            if (after.FixTime < time)
                continue;
            var before = At(i - 1);
            var t = (time - before.FixTime) / (after.FixTime - before.FixTime);
            lat = before.Lat + (after.Lat - before.Lat) * t;
            lon = before.Lon + (after.Lon - before.Lon) * t;
            var sinceBefore = time - before.FixTime;
            var untilAfter = after.FixTime - time;
            fixAge = sinceBefore < untilAfter ? sinceBefore : untilAfter;
            return true;
        }
        return false; // unreachable: time lies between first and last
    }

    private ref GpsFix At(int index) => ref _fixes[(_start + index) % _fixes.Length];
}
