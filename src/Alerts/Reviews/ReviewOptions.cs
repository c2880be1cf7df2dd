namespace Surveillance.Alerts.Reviews;

/// <summary>How events are grouped into review items, under <c>Reviews</c>.</summary>
public sealed class ReviewOptions
{
    public const string Section = "Reviews";

    /// <summary>An event of a camera that starts less than this after the camera's item's last event ended joins that item.</summary>
    public TimeSpan MergeGap { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many review items may join a live stream's buffer before a subscriber that does not read them is dropped.</summary>
    public int StreamBuffer { get; set; } = 256;

    /// <summary>How often the live stream sends a keep-alive comment.</summary>
    public TimeSpan StreamKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate()
    {
        if (MergeGap < TimeSpan.Zero || MergeGap > TimeSpan.FromHours(1))
            yield return $"{Section}:MergeGap: must be between 00:00:00 and 01:00:00 (a TimeSpan, e.g. 00:00:30; was {MergeGap})";
        if (StreamBuffer is < 16 or > 100_000)
            yield return $"{Section}:StreamBuffer: must be between 16 and 100000 (was {StreamBuffer})";
        if (StreamKeepAlive < TimeSpan.FromSeconds(1) || StreamKeepAlive > TimeSpan.FromMinutes(5))
            yield return $"{Section}:StreamKeepAlive: must be between 00:00:01 and 00:05:00 (was {StreamKeepAlive})";
    }
}
