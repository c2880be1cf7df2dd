using Surveillance.Analytics.Snapshots;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Analysis;

/// <summary>
/// One camera's kept frames: for each open event, the copy of its best frame so far. A frame is copied only
/// when an event asks for it (its start, or a clearly better sighting), once however many events ask, and
/// never more than <see cref="MaxCopies"/> copies are held at a time. Used under the camera's lock.
/// </summary>
public sealed class SnapshotFrames
{
    /// <summary>At 640×480 that is about 30 MB per camera at most; beyond it events keep their earlier frame.</summary>
    public const int MaxCopies = 32;

    private readonly Dictionary<string, EventSnapshot> _byEvent = new(StringComparer.Ordinal);
    private int _copies;

    /// <summary>Copies held now, by events or by snapshots on their way to the broker.</summary>
    public int Copies => Volatile.Read(ref _copies);

    /// <summary>Copies the frame, unless too many copies are held already.</summary>
    public FrameCopy? TryCopy(Frame frame)
    {
        if (Interlocked.Increment(ref _copies) > MaxCopies)
        {
            Interlocked.Decrement(ref _copies);
            return null;
        }
        return FrameCopy.Of(this, frame);
    }

    /// <summary>Makes <paramref name="copy"/> the event's best frame, letting go of the one it had.</summary>
    public void Keep(string eventId, FrameCopy copy, IReadOnlyList<SnapshotBox> boxes)
    {
        copy.AddReference();
        if (_byEvent.Remove(eventId, out var previous))
            previous.Release();
        _byEvent[eventId] = new EventSnapshot(copy, boxes);
    }

    public bool Has(string eventId) => _byEvent.ContainsKey(eventId);

    /// <summary>Hands the event's snapshot over (at its end); the caller releases it.</summary>
    public EventSnapshot? Take(string eventId) => _byEvent.Remove(eventId, out var snapshot) ? snapshot : null;

    internal void Returned() => Interlocked.Decrement(ref _copies);
}
