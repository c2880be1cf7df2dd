namespace Surveillance.Ingest;

/// <summary>
/// Pauses between restarts of a failing stream: exponential with jitter, so that hundreds of cameras behind
/// one failed switch do not all knock on the recorder at the same instant when it returns.
/// </summary>
public sealed class ReconnectBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Random _random;
    private TimeSpan _next;

    /// <param name="jitter">Each pause is spread by up to this fraction either way.</param>
    public ReconnectBackoff(TimeSpan initial, TimeSpan max, double jitter = 0.2, Random? random = null)
    {
        _initial = initial;
        _max = max;
        _jitter = jitter;
        _random = random ?? Random.Shared;
        _next = initial;
    }

    /// <summary>The pause before the next attempt; each call doubles the one after, up to the cap.</summary>
    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_next.Ticks * 2, _max.Ticks));
        var factor = 1 + _jitter * (2 * _random.NextDouble() - 1);
        return TimeSpan.FromTicks((long)(delay.Ticks * factor));
    }

    /// <summary>Back to the initial pause, after a stream proved stable.</summary>
    public void Reset() => _next = _initial;
}
