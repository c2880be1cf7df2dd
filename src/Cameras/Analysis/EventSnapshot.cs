using Surveillance.Alerts.Events;

namespace Surveillance.Cameras.Analysis;

/// <summary>An event's best frame and what to draw on it. Whoever holds it last calls <see cref="Release"/>.</summary>
public sealed record EventSnapshot(FrameCopy Frame, IReadOnlyList<EventBox> Boxes)
{
    public void Release() => Frame.Release();
}
