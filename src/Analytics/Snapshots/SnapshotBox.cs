using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics.Snapshots;

/// <summary>A box to draw on a snapshot, in frame pixels, with the caption written above it (e.g. <c>person 0.91</c>).</summary>
public readonly record struct SnapshotBox(BoundingBox Box, string Caption);
