namespace Surveillance.Analytics.Tracking;

/// <summary>How detections are linked into tracks, under <c>Tracker</c> (the same for every camera).</summary>
public sealed class TrackerOptions
{
    public const string Section = "Tracker";

    /// <summary>
    /// Detections scoring at least this are matched first and may start a track; weaker ones (down to
    /// <c>Detector:ScoreThreshold</c>) only keep existing tracks alive, as in ByteTrack.
    /// </summary>
    public float HighScoreThreshold { get; set; } = 0.5f;

    /// <summary>Least overlap between a track's predicted box and a detection for them to be linked.</summary>
    public float MatchIou { get; set; } = 0.2f;

    /// <summary>Detections a new track needs before it is reported; one-frame false positives never become tracks.</summary>
    public int ConfirmHits { get; set; } = 3;

    /// <summary>A track not matched on two analysed frames running and unseen for this long is ended.</summary>
    public double LostAfterSeconds { get; set; } = 2;

    /// <summary>A track whose centre stays within <see cref="StationaryTolerance"/> for this long is stationary.</summary>
    public double StationaryAfterSeconds { get; set; } = 3;

    /// <summary>How far a stationary object's centre may wander, as a fraction of its size (the square root of its area).</summary>
    public float StationaryTolerance { get; set; } = 0.25f;

    public IEnumerable<string> Validate()
    {
        if (float.IsNaN(HighScoreThreshold) || HighScoreThreshold <= 0 || HighScoreThreshold >= 1)
            yield return $"{Section}:HighScoreThreshold: must be greater than 0 and less than 1 (was {HighScoreThreshold})";
        if (float.IsNaN(MatchIou) || MatchIou <= 0 || MatchIou >= 1)
            yield return $"{Section}:MatchIou: must be greater than 0 and less than 1 (was {MatchIou})";
        if (ConfirmHits is < 1 or > 100)
            yield return $"{Section}:ConfirmHits: must be between 1 and 100 (was {ConfirmHits})";
        if (double.IsNaN(LostAfterSeconds) || LostAfterSeconds <= 0 || LostAfterSeconds > 600)
            yield return $"{Section}:LostAfterSeconds: must be greater than 0 and at most 600 (was {LostAfterSeconds})";
        if (double.IsNaN(StationaryAfterSeconds) || StationaryAfterSeconds <= 0 || StationaryAfterSeconds > 3600)
            yield return $"{Section}:StationaryAfterSeconds: must be greater than 0 and at most 3600 (was {StationaryAfterSeconds})";
        if (float.IsNaN(StationaryTolerance) || StationaryTolerance <= 0 || StationaryTolerance > 5)
            yield return $"{Section}:StationaryTolerance: must be greater than 0 and at most 5 (was {StationaryTolerance})";
    }
}
