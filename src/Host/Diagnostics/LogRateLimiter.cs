namespace Surveillance.Host.Diagnostics;

/// <summary>
/// Lets a warning about bad input through at most once per interval per key, and tells how many were held
/// back, so a misbehaving sender cannot flood the log that operators read at 3 a.m.
/// </summary>
public sealed class LogRateLimiter(TimeSpan interval, TimeProvider time)
{
    private readonly Dictionary<string, (long LastLogged, int Suppressed)> _keys = [];
    private readonly Lock _lock = new();

    /// <returns>True when this occurrence should be logged; <paramref name="suppressed"/> is how many were not since the last.</returns>
    public bool ShouldLog(string key, out int suppressed)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_keys.TryGetValue(key, out var entry) && time.GetElapsedTime(entry.LastLogged, now) < interval)
            {
                _keys[key] = (entry.LastLogged, entry.Suppressed + 1);
                suppressed = 0;
                return false;
            }
            suppressed = entry.Suppressed;
            _keys[key] = (now, 0);
            return true;
        }
    }
}
