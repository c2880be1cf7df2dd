namespace Surveillance.Alerts.Events;

/// <summary>Where in its life an event message stands; written to alerts as <c>type</c> (see <see cref="WireNames"/>).</summary>
public enum EventPhase
{
    /// <summary>The rule started firing.</summary>
    New,

    /// <summary>The event changed materially (zones, count, label, a clearly better score); rate-limited.</summary>
    Update,

    /// <summary>The event is over. Every event that sent <c>new</c> sends exactly one <c>end</c>.</summary>
    End,
}
