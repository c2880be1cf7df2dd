using System.Runtime.InteropServices;
using Surveillance.Alerts.Events;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// A rule that fires per tracked object: an event opens once the condition has held for the rule's dwell
/// time, and closes once it has not held for <see cref="AlertOptions.ClearSeconds"/> or the object is lost.
/// Per-object state lives in a dictionary of structs: evaluating a frame allocates nothing.
/// </summary>
internal abstract class PerObjectRule(RuleDefinition definition) : Rule(definition)
{
    private readonly Dictionary<long, ObjectState> _states = [];
    private long _frame;

    /// <summary>How long the condition must hold before the event opens.</summary>
    protected virtual TimeSpan Dwell => TimeSpan.Zero;

    protected abstract bool Holds(in SceneObject item, ulong zoneMask, in SceneFrame frame);

    public override void Evaluate(in SceneFrame frame, ReadOnlySpan<SceneObject> objects, ReadOnlySpan<ulong> zoneMasks, RuleContext context)
    {
        _frame++;
        var now = frame.Time;
        for (var i = 0; i < objects.Length; i++)
        {
            ref readonly var item = ref objects[i];
            if (!Definition.Labels.Contains(item.Label))
                continue;
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, item.TrackId, out _);
            state.Frame = _frame;
            state.LastSeen = item.LastSeen;
            var observation = new Observation(item.Label, item.Score, item.SeenThisFrame, item.Box, context.ZoneNames(zoneMasks[i]), 1);

            if (Holds(item, zoneMasks[i], frame))
            {
                state.HoldingSince ??= now;
                state.LastHeld = now;
                if (state.Event is null && now - state.HoldingSince.Value >= Dwell)
                    state.Event = context.Book.Open(Definition.Identity, item.TrackId, now, frame.Width, frame.Height, observation);
                else if (state.Event is not null)
                    context.Book.Observe(state.Event, now, observation);
            }
            else if (state.HoldingSince is not null && now - state.LastHeld >= context.ClearAfter)
            {
                state.HoldingSince = null;
                if (state.Event is not null)
                {
                    context.Book.Close(state.Event, EventEndReason.Cleared, state.LastHeld, now);
                    state.Event = null;
                }
            }
            else if (state.Event is not null)
            {
                // Briefly not holding (on a zone's edge, say): the event goes on and follows the object.
                context.Book.Observe(state.Event, now, observation);
            }
        }

        foreach (var (trackId, state) in _states)
        {
            if (state.Frame == _frame)
                continue;
            if (state.Event is not null)
                context.Book.Close(state.Event, EventEndReason.Lost, state.LastSeen, now);
            _states.Remove(trackId);
        }
    }

    public override void EndAll(EventEndReason reason, DateTime at, RuleContext context)
    {
        foreach (var state in _states.Values)
        {
            if (state.Event is not null)
                context.Book.Close(state.Event, reason, state.LastHeld, at);
        }
        _states.Clear();
    }

    private struct ObjectState
    {
        public long Frame;
        public DateTime LastSeen;
        public DateTime? HoldingSince;
        public DateTime LastHeld;
        public OpenEvent? Event;
    }
}
