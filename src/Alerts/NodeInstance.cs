namespace Surveillance.Alerts;

/// <summary>
/// This run of the engine, as opposed to its configured <see cref="NodeIdentity"/>: two processes started with
/// the same <c>Node:Id</c> are still two instances, which is how the duplicate is recognised.
/// </summary>
public sealed class NodeInstance(TimeProvider time)
{
    /// <summary>Random per process start; short enough to read in a client id, long enough never to repeat.</summary>
    public string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    public DateTime StartedAt { get; } = time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Whether this instance gives way to <paramref name="other"/> when both claim one node id: the one started
    /// first keeps it (ties broken by id, so that exactly one of two gives way).
    /// </summary>
    public bool YieldsTo(DateTime otherStartedAt, string otherId) =>
        otherStartedAt < StartedAt || (otherStartedAt == StartedAt && string.CompareOrdinal(otherId, Id) < 0);
}
