using Surveillance.Alerts.Events;

namespace Surveillance.Alerts.Rules;

/// <summary>One configured rule with its state: it watches every frame's objects and opens and closes events.</summary>
internal abstract class Rule(RuleDefinition definition)
{
    protected RuleDefinition Definition => definition;

    /// <param name="zoneMasks">For each object, the zones its foot point stands in (bit i: zone i).</param>
    public abstract void Evaluate(in SceneFrame frame, ReadOnlySpan<SceneObject> objects, ReadOnlySpan<ulong> zoneMasks, RuleContext context);

    /// <summary>Ends every open event of the rule and forgets its state.</summary>
    public abstract void EndAll(EventEndReason reason, DateTime at, RuleContext context);
}
