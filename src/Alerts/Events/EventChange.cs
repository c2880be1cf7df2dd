using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Events;

/// <summary>
/// One message of an event's life: its state at the moment of a <c>new</c>, <c>update</c> or <c>end</c>.
/// Immutable, so it can leave the thread that evaluates the rules.
/// </summary>
public sealed record EventChange
{
    public required EventPhase Phase { get; init; }

    public required string EventId { get; init; }

    public required string CameraId { get; init; }

    public required string Rule { get; init; }

    public required RuleType RuleType { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The tracked object the event is about; null for events about a zone (crowd).</summary>
    public required long? TrackId { get; init; }

    public required string Label { get; init; }

    /// <summary>Detector score of the object when last seen.</summary>
    public required float Score { get; init; }

    public required float TopScore { get; init; }

    /// <summary>The object's box (for a crowd, the box around everyone counted) when last seen, in frame pixels.</summary>
    public required BoundingBox Box { get; init; }

    public required int FrameWidth { get; init; }

    public required int FrameHeight { get; init; }

    /// <summary>The zones the object stands in (for a crowd, its zone).</summary>
    public required IReadOnlyList<string> Zones { get; init; }

    /// <summary>Objects the event is about: 1, or the number of people in a crowd.</summary>
    public required int Count { get; init; }

    /// <summary>Line crossings: which way the object crossed (never <see cref="LineDirection.Any"/>).</summary>
    public LineDirection? Direction { get; init; }

    public required DateTime StartedAt { get; init; }

    /// <summary>Set on <c>end</c> only: when the condition last held (or the object was last seen).</summary>
    public DateTime? EndedAt { get; init; }

    /// <summary>Set on <c>end</c> only.</summary>
    public EventEndReason? EndReason { get; init; }

    /// <summary>Capture time of the frame this message describes.</summary>
    public required DateTime ObservedAt { get; init; }
}
