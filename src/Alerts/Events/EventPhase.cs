namespace Surveillance.Alerts.Events;

/// <summary>Where in its life an event message stands; written to alerts as <c>type</c>.</summary>
public static class EventPhase
{
    /// <summary>The rule started firing.</summary>
    public const string New = "new";

    /// <summary>The event changed materially (zones, count, label, a clearly better score); rate-limited.</summary>
    public const string Update = "update";

    /// <summary>The event is over. Every event that sent <c>new</c> sends exactly one <c>end</c>.</summary>
    public const string End = "end";
}
