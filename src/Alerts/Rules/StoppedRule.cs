namespace Surveillance.Alerts.Rules;

/// <summary><c>stopped</c>: an object standing still in the zone for the rule's seconds; it ends when the object moves on.</summary>
internal sealed class StoppedRule(RuleDefinition definition) : PerObjectRule(definition)
{
    protected override bool Holds(in SceneObject item, ulong zoneMask, in SceneFrame frame) =>
        Definition.InZone(zoneMask) && frame.Time - item.StationarySince >= Definition.Duration;
}
