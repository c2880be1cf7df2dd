namespace Surveillance.Alerts.Events;

/// <summary>Why an event ended; written to <c>end</c> alerts as <c>endReason</c>.</summary>
public static class EventEndReason
{
    /// <summary>The rule's condition stopped holding (the object left the zone, moved on, the crowd thinned).</summary>
    public const string Cleared = "cleared";

    /// <summary>The tracker lost the object.</summary>
    public const string Lost = "lost";

    /// <summary>The camera's stream stopped.</summary>
    public const string Offline = "offline";

    /// <summary>The engine is shutting down.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>The camera left the inventory.</summary>
    public const string Removed = "removed";

    /// <summary>The camera was disabled in the inventory.</summary>
    public const string Disabled = "disabled";

    /// <summary>The camera's settings changed: it restarted with the new ones, and what it sees now is new.</summary>
    public const string Reconfigured = "reconfigured";
}
