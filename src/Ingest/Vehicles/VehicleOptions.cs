namespace Surveillance.Ingest.Vehicles;

/// <summary>Patrol vehicles' GPS, under <c>Vehicles</c>.</summary>
public sealed class VehicleOptions
{
    /// <summary>A location whose nearest fix is older than this is marked <c>stale</c> (the alert still goes out).</summary>
    public double StaleAfterSeconds { get; set; } = 10;

    /// <summary>How much of each vehicle's track is kept for interpolation.</summary>
    public double TrackSeconds { get; set; } = 120;

    /// <summary>
    /// Street patrol vehicles without a camera on this node whose positions are tracked too, so that alerts
    /// can name the nearest car. Vehicles of patrol cameras are always tracked; reports from others are refused.
    /// </summary>
    public string[] Ids { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        if (double.IsNaN(StaleAfterSeconds) || StaleAfterSeconds <= 0 || StaleAfterSeconds > 3600)
            yield return $"Vehicles:StaleAfterSeconds: must be greater than 0 and at most 3600 (was {StaleAfterSeconds})";
        if (double.IsNaN(TrackSeconds) || TrackSeconds < 10 || TrackSeconds > 3600)
            yield return $"Vehicles:TrackSeconds: must be between 10 and 3600 (was {TrackSeconds})";
        for (var i = 0; i < Ids.Length; i++)
        {
            if (!TopicSegment.IsValid(Ids[i]))
                yield return $"Vehicles:Ids:{i}: '{Ids[i]}' {TopicSegment.Rule}";
        }
    }
}
