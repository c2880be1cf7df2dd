namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// Keeps two engines from running under one node id. Both would publish the same availability topic and
/// claim the same cameras; worse, with the node id in the MQTT client id, each connection would knock the other
/// off the broker in a loop. Every engine reads its own availability topic: the retained message tells a newcomer
/// who held the id last, and a live heartbeat (not the retained copy, which may be all that is left of an engine
/// whose machine froze) proves that holder still runs. Of two live engines, the one started later gives way.
/// </summary>
/// <param name="liveWait">How long a retained holder has to show it is alive; a heartbeat and some by default.</param>
public sealed class NodeIdGuard(NodeInstance self, TimeProvider time, TimeSpan? liveWait = null)
{
    /// <summary>Retained messages arrive right after the subscription is acknowledged; this is ample.</summary>
    private static readonly TimeSpan RetainedWait = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _liveWait = liveWait ?? NodeAvailability.HeartbeatInterval + TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<NodeAvailability> _conflict = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _heard = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NodeAvailability? _retainedHolder;

    /// <summary>Completes, with the other engine's message, once a live engine that keeps this node id is seen.</summary>
    public Task<NodeAvailability> Conflict => _conflict.Task;

    /// <summary>Takes every message on this node's availability topic.</summary>
    /// <param name="retained">Delivered from the broker's store on subscribing, rather than as it was published.</param>
    public void Observe(NodeAvailability message, bool retained)
    {
        lock (_lock)
        {
            if (message.InstanceId is not { } other || other == self.Id)
                return;
            if (message.State != NodeAvailability.Online)
            {
                // The holder of a retained "online" has gone after all (its last will, or its clean stop).
                if (_retainedHolder?.InstanceId == other)
                    _retainedHolder = null;
            }
            else if (retained)
            {
                _retainedHolder = message;
            }
            else if (self.YieldsTo(message.StartedAt ?? DateTime.MinValue, other))
            {
                _conflict.TrySetResult(message);
            }
            _heard.TrySetResult();
        }
    }

    /// <summary>
    /// Run once the availability topic is subscribed, before announcing this node: returns when this engine may
    /// go on, throws when another live engine holds the node id. Waits for a heartbeat only when the retained
    /// message names another engine as online.
    /// </summary>
    /// <param name="waiting">Told, once, whose retained message is being checked and for how long.</param>
    /// <exception cref="NodeIdInUseException">Another engine runs with this node id.</exception>
    public async Task ClaimAsync(string nodeId, Action<NodeAvailability, TimeSpan> waiting, CancellationToken cancellationToken)
    {
        Task heard;
        lock (_lock)
            heard = _heard.Task;
        await Task.WhenAny(heard, Task.Delay(RetainedWait, time, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var started = time.GetTimestamp();
        var told = false;
        while (true)
        {
            NodeAvailability holder;
            lock (_lock)
            {
                if (_conflict.Task.IsCompleted)
                    throw new NodeIdInUseException(nodeId, _conflict.Task.Result);
                if (_retainedHolder is null)
                    return;
                holder = _retainedHolder;
                _heard = new(TaskCreationOptions.RunContinuationsAsynchronously);
                heard = _heard.Task;
            }
            if (!told)
            {
                waiting(holder, _liveWait);
                told = true;
            }
            var left = _liveWait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                return; // What the broker kept was all that was left of it.
            await Task.WhenAny(heard, Task.Delay(left, time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
