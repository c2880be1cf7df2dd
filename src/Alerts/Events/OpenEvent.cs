using Surveillance.Alerts.Rules;

namespace Surveillance.Alerts.Events;

/// <summary>An event between its <c>new</c> and its <c>end</c>: what it is about now and what was last published.</summary>
internal sealed class OpenEvent
{
    public OpenEvent(RuleIdentity rule, long? trackId, DateTime startedAt, int frameWidth, int frameHeight, in Observation first)
    {
        Rule = rule;
        TrackId = trackId;
        StartedAt = startedAt;
        FrameWidth = frameWidth;
        FrameHeight = frameHeight;
        Current = first;
        ObservedAt = startedAt;
        TopScore = first.Score;
    }

    /// <summary>UUID v7, so event ids sort by when they started.</summary>
    public string Id { get; } = Guid.CreateVersion7().ToString();

    public RuleIdentity Rule { get; }

    public long? TrackId { get; }

    public DateTime StartedAt { get; }

    public int FrameWidth { get; }

    public int FrameHeight { get; }

    public Observation Current { get; set; }

    public DateTime ObservedAt { get; set; }

    public float TopScore { get; set; }

    public LineDirection? Direction { get; init; }

    /// <summary>The score (or, for a crowd, the count) of the frame kept for the snapshot; below any real one until a frame is kept.</summary>
    public float BestFrameMerit { get; set; } = float.NegativeInfinity;

    public DateTime LastPublishedAt { get; set; }

    public Observation Published { get; set; }

    public float PublishedTopScore { get; set; }

    /// <summary>A material change waits for the update interval to pass.</summary>
    public bool UpdatePending { get; set; }
}

/// <summary>What alerts say about the rule that raised an event.</summary>
internal sealed record RuleIdentity(string Name, RuleType Type, Severity Severity);
