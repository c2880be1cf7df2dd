using System.Numerics;
using System.Runtime.InteropServices;
using Surveillance.Alerts.Events;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// <c>line</c>: an object whose foot point crosses the line (between its ends) in the rule's direction.
/// A crossing is an instant: its event's <c>new</c> and <c>end</c> are sent together. An object is only
/// on a side once it is clearly off the line (<see cref="MarginFraction"/>), so one standing on the line
/// and jittering by a few pixels does not cross it again and again. Only where the object was actually
/// seen counts: a track coasting on its prediction behind an obstacle crosses nothing. Its first side is
/// where it was first seen, so a crossing made while the track was still being confirmed is not missed.
/// </summary>
internal sealed class LineCrossingRule(RuleDefinition definition) : Rule(definition)
{
    /// <summary>Dead band either side of the line, as a fraction of the frame's width plus height (≈ 5 px at 640×480).</summary>
    private const float MarginFraction = 0.005f;

    private readonly Dictionary<long, SideState> _states = [];
    private long _frame;

    public override void Evaluate(in SceneFrame frame, ReadOnlySpan<SceneObject> objects, ReadOnlySpan<ulong> zoneMasks, RuleContext context)
    {
        _frame++;
        var line = Definition.Line!;
        var margin = MarginFraction * (frame.Width + frame.Height);
        for (var i = 0; i < objects.Length; i++)
        {
            ref readonly var item = ref objects[i];
            if (!Definition.Labels.Contains(item.Label))
                continue;
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_states, item.TrackId, out var known);
            state.Frame = _frame;
            if (!known)
                Place(ref state, item.Origin, line.Segment.Side(item.Origin, margin, frame.Width, frame.Height));
            if (!item.SeenThisFrame)
                continue;
            var foot = item.Box.FootPoint;
            var side = line.Segment.Side(foot, margin, frame.Width, frame.Height);
            if (side == 0)
                continue;
            if (state.Side != 0 && side != state.Side
                && line.Segment.IsCrossedBy(state.Position, foot, frame.Width, frame.Height))
            {
                var (counts, reported) = line.Judge(towardsPositive: side > 0, Definition.Direction, frame.Width, frame.Height);
                if (counts)
                    Crossed(item, context.ZoneNames(zoneMasks[i]), reported, frame, context);
            }
            Place(ref state, foot, side);
        }

        foreach (var (trackId, state) in _states)
        {
            if (state.Frame != _frame)
                _states.Remove(trackId);
        }
    }

    public override void EndAll(EventEndReason reason, DateTime at, RuleContext context) => _states.Clear();

    /// <summary>Remembers where the object was last clearly on a side; on the line (side 0) it keeps its last side.</summary>
    private static void Place(ref SideState state, Vector2 position, sbyte side)
    {
        if (side == 0)
            return;
        state.Side = side;
        state.Position = position;
    }

    private void Crossed(in SceneObject item, IReadOnlyList<string> zones, LineDirection direction, in SceneFrame frame, RuleContext context)
    {
        var observation = new Observation(item.Label, item.Score, item.SeenThisFrame, item.Box, zones, 1);
        var crossing = context.Book.Open(Definition.Identity, item.TrackId, frame.Time, frame.Width, frame.Height, observation, direction);
        context.Book.Close(crossing, EventEndReason.Cleared, frame.Time, frame.Time);
    }

    private struct SideState
    {
        public long Frame;
        public sbyte Side;
        public Vector2 Position;
    }
}
