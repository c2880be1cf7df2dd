using Surveillance.Analytics.Snapshots;

namespace Surveillance.Cameras.Analysis;

/// <summary>An event's best frame and what to draw on it. Whoever holds it last calls <see cref="Release"/>.</summary>
public sealed record EventSnapshot(FrameCopy Frame, IReadOnlyList<SnapshotBox> Boxes)
{
    public void Release() => Frame.Release();
}
