namespace Surveillance.Alerts.Reviews;

/// <summary>The rules muted on cameras, kept in the event store so that they survive a restart, and in memory for the alert path.</summary>
public sealed class MuteList
{
    private readonly EventStore _store;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Camera, string Rule), Mute> _mutes = [];

    public MuteList(EventStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
        foreach (var mute in store.Mutes())
            _mutes[(mute.CameraId, mute.Rule)] = mute;
    }

    public void Add(Mute mute)
    {
        _store.SaveMute(mute);
        lock (_lock)
            _mutes[(mute.CameraId, mute.Rule)] = mute;
    }

    public bool Remove(string cameraId, string rule)
    {
        lock (_lock)
            _mutes.Remove((cameraId, rule));
        return _store.DeleteMute(cameraId, rule);
    }

    /// <summary>
    /// How long after its end a mute is still applied to events that started while it held: an event's <c>new</c> reaches
    /// the alert stage some time after its frame was captured (seconds, on a loaded node).
    /// </summary>
    private static readonly TimeSpan LateArrival = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Whether an event of <paramref name="rule"/> on <paramref name="cameraId"/> that started at <paramref name="startedAt"/>
    /// (its frame's capture time) started while the rule was muted there; a mute long expired is forgotten here.
    /// </summary>
    public bool IsMuted(string cameraId, string rule, DateTime startedAt)
    {
        lock (_lock)
        {
            if (!_mutes.TryGetValue((cameraId, rule), out var mute))
                return false;
            if (mute.Until + LateArrival > _time.GetUtcNow().UtcDateTime)
                return startedAt >= mute.At && startedAt < mute.Until;
            _mutes.Remove((cameraId, rule));
        }
        _store.DeleteMute(cameraId, rule);
        return false;
    }

    /// <summary>The mutes in force now, by camera and rule.</summary>
    public IReadOnlyList<Mute> Current()
    {
        var now = _time.GetUtcNow().UtcDateTime;
        lock (_lock)
            return [.. _mutes.Values.Where(m => m.Until > now).OrderBy(m => m.CameraId, StringComparer.Ordinal).ThenBy(m => m.Rule, StringComparer.Ordinal)];
    }
}
