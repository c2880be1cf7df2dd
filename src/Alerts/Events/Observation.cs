using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Events;

/// <summary>What a rule saw of its event's subject on one frame.</summary>
/// <param name="Seen">Whether the detector saw it on this frame (a higher score only counts then).</param>
internal readonly record struct Observation(
    string Label, float Score, bool Seen, BoundingBox Box, IReadOnlyList<string> Zones, int Count);
