using Surveillance.Analytics.Snapshots;

namespace Surveillance.Alerts.Events;

/// <summary>
/// The frame just evaluated is the best so far of an event: the pipeline should keep a copy of it, with
/// these boxes to draw, for the event's snapshot (replacing any earlier copy).
/// </summary>
public readonly record struct FrameRequest(string EventId, IReadOnlyList<SnapshotBox> Boxes);
