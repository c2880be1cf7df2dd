namespace Surveillance.Analytics.Motion;

/// <summary>One camera's motion gate, under <c>Cameras:N:Motion</c>.</summary>
public sealed class MotionGateOptions
{
    /// <summary>
    /// Whether frames without motion skip the detector. Unset: on for fixed cameras, off for patrol cameras,
    /// whose whole picture moves with the vehicle.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Grey-level change (0–255) for a pixel of the downscaled frame to count as changed.</summary>
    public int PixelThreshold { get; set; } = 20;

    /// <summary>Fraction of the (unmasked) picture that must change for a frame to have motion.</summary>
    public double MinChangedFraction { get; set; } = 0.0003;

    /// <summary>While tracked objects stand still, the detector still looks this often to see whether they are there.</summary>
    public double RecheckSeconds { get; set; } = 5;

    /// <summary>
    /// While a tracked object is moving (not yet stationary by <c>Tracker:StationaryAfterSeconds</c>), the detector
    /// looks at least this often even when the picture's change stays under <see cref="MinChangedFraction"/>: one
    /// person walking far away or at the edge changes too little to wake it, and a track held in place for
    /// <see cref="RecheckSeconds"/> would be left behind where a newcomer can take its id. At most
    /// <see cref="RecheckSeconds"/> (the longer of the two is not used).
    /// </summary>
    public double MovingRecheckSeconds { get; set; } = 1;

    public IEnumerable<string> Validate(string key)
    {
        if (PixelThreshold is < 1 or > 254)
            yield return $"{key}:PixelThreshold: must be between 1 and 254 (was {PixelThreshold})";
        if (double.IsNaN(MinChangedFraction) || MinChangedFraction < 0 || MinChangedFraction >= 1)
            yield return $"{key}:MinChangedFraction: must be at least 0 and less than 1 (was {MinChangedFraction})";
        if (double.IsNaN(RecheckSeconds) || RecheckSeconds <= 0 || RecheckSeconds > 3600)
            yield return $"{key}:RecheckSeconds: must be greater than 0 and at most 3600 (was {RecheckSeconds})";
        if (double.IsNaN(MovingRecheckSeconds) || MovingRecheckSeconds <= 0 || MovingRecheckSeconds > 3600)
            yield return $"{key}:MovingRecheckSeconds: must be greater than 0 and at most 3600 (was {MovingRecheckSeconds}); 1 looks at a walking person about every step and a half";
    }
}
