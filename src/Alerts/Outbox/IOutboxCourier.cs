namespace Surveillance.Alerts.Outbox;

/// <summary>
/// Where the outbox takes what it stored, oldest first: the broker, on a node alone; the cluster's shared store, on
/// a node of a cluster (which publishes from there). A message leaves the outbox once it is delivered or dropped.
/// </summary>
public interface IOutboxCourier
{
    /// <summary>Whether a delivery is the publish to the broker itself (and counted as one).</summary>
    bool DeliversToBroker { get; }

    /// <summary>Whether a delivery is worth trying now (the broker connected; the store not failing in the last second).</summary>
    bool IsReady { get; }

    Task<Carried> CarryAsync(StoredMessage stored, CancellationToken cancellationToken);
}

/// <summary>What became of a stored message: delivered, not yet (it stays, and the reason is logged), or dropped for good.</summary>
public readonly record struct Carried(CarriedOutcome Outcome, string? Reason = null)
{
    public static Carried Delivered { get; } = new(CarriedOutcome.Delivered);

    public static Carried Deferred(string reason) => new(CarriedOutcome.Deferred, reason);

    public static Carried Dropped(string reason) => new(CarriedOutcome.Dropped, reason);
}

public enum CarriedOutcome
{
    Delivered,
    Deferred,
    Dropped,
}
