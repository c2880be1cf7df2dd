using Surveillance.Alerts.Events;

namespace Surveillance.Cameras.Analysis;

/// <summary>
/// One event message on its way to the alert stage, with whether the event has a snapshot and, on its
/// <c>end</c>, the snapshot itself (which the alert stage renders, publishes and releases).
/// </summary>
public readonly record struct EventOutput(EventChange Change, bool HasSnapshot, EventSnapshot? Snapshot);
