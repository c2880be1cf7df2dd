using System.Globalization;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Snapshots;

namespace Surveillance.Alerts.Events;

/// <summary>
/// One camera's open events and the messages of their lives. Rules open, observe and close events here;
/// the book decides what is worth a message: <c>new</c> and <c>end</c> always, <c>update</c> only for a
/// material change and at most once per update interval. Not thread-safe: the camera's rule engine owns it.
/// </summary>
public sealed class EventBook
{
    /// <summary>A top score must rise by this much to be worth an update.</summary>
    private const float MaterialScoreRise = 0.05f;

    /// <summary>A frame must score this much better than the kept one to replace it as the snapshot.</summary>
    private const float BetterFrameMargin = 0.01f;

    private readonly string _cameraId;
    private readonly TimeSpan _updateInterval;
    private readonly List<OpenEvent> _open = [];

    public EventBook(string cameraId, TimeSpan updateInterval)
    {
        _cameraId = cameraId;
        _updateInterval = updateInterval;
    }

    /// <summary>Messages produced since the caller last cleared them, in order.</summary>
    public List<EventChange> Changes { get; } = [];

    /// <summary>Events whose best frame is the one just evaluated, since the caller last cleared them.</summary>
    public List<FrameRequest> FrameRequests { get; } = [];

    public int OpenCount => _open.Count;

    /// <param name="frameBoxes">What to draw on the snapshot; by default the observed object's box.</param>
    internal OpenEvent Open(RuleIdentity rule, long? trackId, DateTime at, int frameWidth, int frameHeight, in Observation first,
        LineDirection? direction = null, IReadOnlyList<SnapshotBox>? frameBoxes = null)
    {
        var opened = new OpenEvent(rule, trackId, at, frameWidth, frameHeight, first) { Direction = direction };
        _open.Add(opened);
        Publish(opened, EventPhase.New, at);
        RequestFrame(opened, first, MeritOf(opened, first), frameBoxes);
        return opened;
    }

    /// <summary>Whether a frame with this observation would replace the event's kept snapshot frame.</summary>
    internal static bool IsBetterFrame(OpenEvent open, in Observation seen) =>
        seen.Seen && MeritOf(open, seen) > open.BestFrameMerit + BetterFrameMargin;

    /// <param name="frameBoxes">What to draw on the snapshot should this frame be kept; by default the observed object's box.</param>
    internal void Observe(OpenEvent open, DateTime at, in Observation seen, IReadOnlyList<SnapshotBox>? frameBoxes = null)
    {
        open.Current = seen;
        open.ObservedAt = at;
        if (seen.Seen && seen.Score > open.TopScore)
            open.TopScore = seen.Score;

        if (IsBetterFrame(open, seen))
            RequestFrame(open, seen, MeritOf(open, seen), frameBoxes);

        var published = open.Published;
        if (seen.Label != published.Label || seen.Count != published.Count || !SameZones(seen.Zones, published.Zones)
            || open.TopScore >= open.PublishedTopScore + MaterialScoreRise)
        {
            open.UpdatePending = true;
        }
    }

    /// <summary>Ends an event; <paramref name="endedAt"/> is when its condition last held or its object was last seen.</summary>
    internal void Close(OpenEvent open, EventEndReason reason, DateTime endedAt, DateTime at)
    {
        if (!_open.Remove(open))
            return;
        Publish(open, EventPhase.End, at, endedAt < open.StartedAt ? open.StartedAt : endedAt, reason);
    }

    /// <summary>Sends the updates that are due: a material change waiting, and the update interval passed.</summary>
    public void PublishDueUpdates(DateTime now)
    {
        foreach (var open in _open)
        {
            if (open.UpdatePending && now - open.LastPublishedAt >= _updateInterval)
                Publish(open, EventPhase.Update, open.ObservedAt);
        }
    }

    private void Publish(OpenEvent open, EventPhase phase, DateTime at, DateTime? endedAt = null, EventEndReason? reason = null)
    {
        var current = open.Current;
        Changes.Add(new EventChange
        {
            Phase = phase,
            EventId = open.Id,
            CameraId = _cameraId,
            Rule = open.Rule.Name,
            RuleType = open.Rule.Type,
            Severity = open.Rule.Severity,
            TrackId = open.TrackId,
            Label = current.Label,
            Score = current.Score,
            TopScore = open.TopScore,
            Box = current.Box,
            FrameWidth = open.FrameWidth,
            FrameHeight = open.FrameHeight,
            Zones = current.Zones,
            Count = current.Count,
            Direction = open.Direction,
            StartedAt = open.StartedAt,
            EndedAt = endedAt,
            EndReason = reason,
            ObservedAt = at,
        });
        open.LastPublishedAt = at;
        open.Published = current;
        open.PublishedTopScore = open.TopScore;
        open.UpdatePending = false;
    }

    private void RequestFrame(OpenEvent open, in Observation seen, float merit, IReadOnlyList<SnapshotBox>? boxes)
    {
        open.BestFrameMerit = merit;
        FrameRequests.Add(new FrameRequest(open.Id, boxes ?? [new SnapshotBox(seen.Box, Caption(seen.Label, seen.Score))]));
    }

    internal static string Caption(string label, float score) => string.Create(CultureInfo.InvariantCulture, $"{label} {score:0.00}");

    /// <summary>A crowd's best frame is its fullest; any other event's, its object's highest score.</summary>
    private static float MeritOf(OpenEvent open, in Observation seen) => open.TrackId is null ? seen.Count : seen.Score;

    private static bool SameZones(IReadOnlyList<string> a, IReadOnlyList<string>? b) =>
        ReferenceEquals(a, b) || (b is not null && a.Count == b.Count && a.SequenceEqual(b, StringComparer.Ordinal));
}
