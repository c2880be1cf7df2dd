namespace Surveillance.Alerts.Rules;

/// <summary><c>loitering</c>: an object that has stayed in the zone for the rule's seconds (brief steps out do not reset the clock).</summary>
internal sealed class LoiteringRule(RuleDefinition definition) : PerObjectRule(definition)
{
    protected override TimeSpan Dwell => Definition.Duration;

    protected override bool Holds(in SceneObject item, ulong zoneMask, in SceneFrame frame) => Definition.InZone(zoneMask);
}
