namespace Surveillance.Alerts.Rules;

/// <summary>
/// <c>any</c> and <c>intrusion</c>: an object of the labels (inside the zone, if one is set, and within the
/// daily time window, if one is set) is an event for as long as it stays.
/// </summary>
internal sealed class PresenceRule(RuleDefinition definition) : PerObjectRule(definition)
{
    protected override bool Holds(in SceneObject item, ulong zoneMask, in SceneFrame frame) =>
        Definition.InZone(zoneMask) && (Definition.Window is null || Definition.Window.Contains(frame.Time));
}
