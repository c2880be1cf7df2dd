namespace Surveillance.Ownership.Run;

/// <summary>
/// Every event of the run, and from them which node holds each camera now. A node that was killed or exited holds
/// nothing; a frozen one still holds its cameras (it is alive, and will wake up), which is how a duplicate shows.
/// </summary>
public sealed class Ledger
{
    private readonly Lock gate = new();
    private readonly List<OwnershipEvent> events = [];
    private readonly Dictionary<string, Dictionary<string, long>> holders = new(StringComparer.Ordinal);
    private readonly HashSet<string> gone = new(StringComparer.Ordinal);
    private readonly List<Duplicate> duplicates = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action<OwnershipEvent>? Recorded;

    public void Add(OwnershipEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        TaskCompletionSource wake;
        lock (gate)
        {
            events.Add(e);
            if (e.Camera is { } camera && !gone.Contains(e.Node))
            {
                if (!holders.TryGetValue(camera, out var on))
                    holders[camera] = on = new Dictionary<string, long>(StringComparer.Ordinal);
                if (e.Event == "start")
                {
                    foreach (var holder in on.Keys.Where(n => n != e.Node))
                        duplicates.Add(new Duplicate(camera, holder, e.Node, e.T));
                    on[e.Node] = e.T;
                }
                else if (e.Event == "stop")
                {
                    on.Remove(e.Node);
                    End(camera, e.Node, e.T);
                }
            }
            wake = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        wake.TrySetResult();
        Recorded?.Invoke(e);
    }

    /// <summary>The node is dead from <paramref name="t"/> on (killed, or its process ended): it holds nothing more.</summary>
    public void Gone(string node, long t)
    {
        lock (gate)
        {
            if (!gone.Add(node))
                return;
            foreach (var (camera, on) in holders)
            {
                if (on.Remove(node))
                    End(camera, node, t);
            }
        }
    }

    public bool IsGone(string node)
    {
        lock (gate)
            return gone.Contains(node);
    }

    public IReadOnlyList<string> CamerasOn(string node)
    {
        lock (gate)
            return [.. holders.Where(h => h.Value.ContainsKey(node)).Select(h => h.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Cameras held by at least one live node.</summary>
    public int ActiveCameras()
    {
        lock (gate)
            return holders.Count(h => h.Value.Count > 0);
    }

    public IReadOnlyList<OwnershipEvent> Events()
    {
        lock (gate)
            return [.. events];
    }

    public IReadOnlyList<Duplicate> Duplicates()
    {
        lock (gate)
            return [.. duplicates];
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, until <paramref name="condition"/> holds; says whether it did.</summary>
    public async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Task next;
            lock (gate)
                next = changed.Task;
            if (condition())
                return true;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                return false;
            // Woken by the next event, or every 200 ms for conditions on time or on processes.
            await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)), cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private void End(string camera, string node, long t)
    {
        foreach (var d in duplicates.Where(d => d.Camera == camera && d.Until is null && (d.Holder == node || d.Newcomer == node)))
            d.Until = t;
    }
}
