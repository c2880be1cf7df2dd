namespace Surveillance.Alerts.Events;

/// <summary>Why an event ended; written to <c>end</c> alerts as <c>endReason</c> (see <see cref="WireNames"/>).</summary>
public enum EventEndReason
{
    /// <summary>The rule's condition stopped holding (the object left the zone, moved on, the crowd thinned).</summary>
    Cleared,

    /// <summary>The tracker lost the object.</summary>
    Lost,

    /// <summary>The camera's stream stopped.</summary>
    Offline,

    /// <summary>The engine is shutting down.</summary>
    Shutdown,

    /// <summary>The camera left the inventory.</summary>
    Removed,

    /// <summary>The camera was disabled in the inventory.</summary>
    Disabled,

    /// <summary>The camera's settings changed: it restarted with the new ones, and what it sees now is new.</summary>
    Reconfigured,

    /// <summary>The camera moved to another node of the cluster, which ends what was open here.</summary>
    Handover,
}
