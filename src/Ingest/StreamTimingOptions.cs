namespace Surveillance.Ingest;

/// <summary>
/// How a camera's stream is watched and restarted, per camera kind (<c>Ingest:Fixed</c>, <c>Ingest:Patrol</c>).
/// Patrol vehicles stream over 4G, where links drop often and come back soon: they get shorter stall
/// timeouts and faster first reconnects.
/// </summary>
public sealed class StreamTimingOptions
{
    /// <summary>The least time without a frame before a stream counts as stalled.</summary>
    public double MinStallTimeoutSeconds { get; set; } = 10;

    /// <summary>First pause before a restart; it doubles after each failed attempt.</summary>
    public double BackoffInitialSeconds { get; set; } = 1;

    /// <summary>The longest pause between restarts.</summary>
    public double BackoffMaxSeconds { get; set; } = 60;

    /// <summary>
    /// While a stream's server refuses connections (or cannot be reached), how often it is asked again with a bare
    /// TCP connect; the decoder starts as soon as it accepts. The backoff above is for servers that accept and then fail.
    /// </summary>
    public double ProbeIntervalSeconds { get; set; } = 0.5;

    /// <summary>A stream that delivers frames this long counts as healthy again: the next failure starts the backoff afresh.</summary>
    public double StablePeriodSeconds { get; set; } = 30;

    public static StreamTimingOptions FixedDefaults() => new();

    public static StreamTimingOptions PatrolDefaults() => new()
    {
        MinStallTimeoutSeconds = 5,
        BackoffInitialSeconds = 0.5,
        BackoffMaxSeconds = 15,
        StablePeriodSeconds = 10,
    };

    /// <summary>The stall timeout of a camera: its own setting, else twice its frame interval but at least the minimum.</summary>
    public TimeSpan StallTimeoutFor(CameraOptions camera) => TimeSpan.FromSeconds(
        camera.StallTimeoutSeconds ?? Math.Max(2 / camera.DetectFps, MinStallTimeoutSeconds));

    public IEnumerable<string> Validate(string key)
    {
        if (double.IsNaN(MinStallTimeoutSeconds) || MinStallTimeoutSeconds < 1 || MinStallTimeoutSeconds > 600)
            yield return $"{key}:MinStallTimeoutSeconds: must be between 1 and 600 (was {MinStallTimeoutSeconds})";
        if (double.IsNaN(BackoffInitialSeconds) || BackoffInitialSeconds < 0.1 || BackoffInitialSeconds > 600)
            yield return $"{key}:BackoffInitialSeconds: must be between 0.1 and 600 (was {BackoffInitialSeconds})";
        if (double.IsNaN(BackoffMaxSeconds) || BackoffMaxSeconds < BackoffInitialSeconds || BackoffMaxSeconds > 3600)
            yield return $"{key}:BackoffMaxSeconds: must be between BackoffInitialSeconds and 3600 (was {BackoffMaxSeconds})";
        if (double.IsNaN(ProbeIntervalSeconds) || ProbeIntervalSeconds < 0.1 || ProbeIntervalSeconds > 60)
            yield return $"{key}:ProbeIntervalSeconds: must be between 0.1 and 60 (was {ProbeIntervalSeconds})";
        if (double.IsNaN(StablePeriodSeconds) || StablePeriodSeconds < 0 || StablePeriodSeconds > 3600)
            yield return $"{key}:StablePeriodSeconds: must be between 0 and 3600 (was {StablePeriodSeconds})";
    }
}
