namespace Surveillance.Analytics.Scene;

/// <summary>What an object of one label must look like to be reported, under <c>Cameras:N:Filters:{label}</c>.</summary>
public sealed class LabelFilterOptions
{
    /// <summary>
    /// The median detector score over a track's recent frames must reach this before the track is reported,
    /// so a label is judged on the track, not on one frame.
    /// </summary>
    public float MinScore { get; set; } = 0.5f;

    /// <summary>Least box area, as a fraction of the frame's area.</summary>
    public double MinArea { get; set; }

    /// <summary>Largest box area, as a fraction of the frame's area.</summary>
    public double MaxArea { get; set; } = 1;

    /// <summary>Least box width ÷ height.</summary>
    public double MinRatio { get; set; }

    /// <summary>Largest box width ÷ height.</summary>
    public double MaxRatio { get; set; } = 100;

    public IEnumerable<string> Validate(string key)
    {
        if (float.IsNaN(MinScore) || MinScore < 0 || MinScore >= 1)
            yield return $"{key}:MinScore: must be at least 0 and less than 1 (was {MinScore})";
        if (double.IsNaN(MinArea) || MinArea < 0 || MinArea > 1)
            yield return $"{key}:MinArea: must be between 0 and 1 (a fraction of the frame) (was {MinArea})";
        if (double.IsNaN(MaxArea) || MaxArea <= 0 || MaxArea > 1)
            yield return $"{key}:MaxArea: must be greater than 0 and at most 1 (a fraction of the frame) (was {MaxArea})";
        else if (MaxArea < MinArea)
            yield return $"{key}:MaxArea: must not be less than MinArea ({MaxArea} < {MinArea})";
        if (double.IsNaN(MinRatio) || MinRatio < 0)
            yield return $"{key}:MinRatio: must be at least 0 (was {MinRatio})";
        if (double.IsNaN(MaxRatio) || MaxRatio <= 0)
            yield return $"{key}:MaxRatio: must be greater than 0 (was {MaxRatio})";
        else if (MaxRatio < MinRatio)
            yield return $"{key}:MaxRatio: must not be less than MinRatio ({MaxRatio} < {MinRatio})";
    }
}
