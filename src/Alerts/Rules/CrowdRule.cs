using Surveillance.Alerts.Events;
using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Snapshots;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// <c>crowd</c>: at least <see cref="RuleDefinition.MinCount"/> objects of the labels in the zone for the
/// rule's seconds. One event per gathering, about the zone rather than any one object; its count is
/// updated as people come and go, and it ends once the zone has held fewer for the clear time.
/// </summary>
internal sealed class CrowdRule(RuleDefinition definition, string zoneName) : Rule(definition)
{
    private readonly IReadOnlyList<string> _zones = [zoneName];
    private DateTime? _since;
    private DateTime _lastHeld;
    private OpenEvent? _event;

    public override void Evaluate(in SceneFrame frame, ReadOnlySpan<SceneObject> objects, ReadOnlySpan<ulong> zoneMasks, RuleContext context)
    {
        var now = frame.Time;
        var count = 0;
        var seen = false;
        float topScore = 0, bestTrackScore = -1;
        var around = new BoundingBox(float.MaxValue, float.MaxValue, float.MinValue, float.MinValue);
        var label = "";
        for (var i = 0; i < objects.Length; i++)
        {
            ref readonly var item = ref objects[i];
            if (!Definition.Labels.Contains(item.Label) || !Definition.InZone(zoneMasks[i]))
                continue;
            count++;
            around = around.Union(item.Box);
            if (item.SeenThisFrame)
            {
                seen = true;
                topScore = MathF.Max(topScore, item.Score);
            }
            if (item.TrackScore > bestTrackScore)
            {
                bestTrackScore = item.TrackScore;
                label = item.Label;
            }
        }

        if (count >= Definition.MinCount)
        {
            _since ??= now;
            _lastHeld = now;
            var observation = new Observation(label, topScore, seen, around, _zones, count);
            if (_event is null && now - _since.Value >= Definition.Duration)
            {
                _event = context.Book.Open(Definition.Identity, null, now, frame.Width, frame.Height, observation,
                    frameBoxes: Members(objects, zoneMasks));
            }
            else if (_event is not null)
            {
                context.Book.Observe(_event, now, observation,
                    EventBook.IsBetterFrame(_event, observation) ? Members(objects, zoneMasks) : null);
            }
        }
        else if (_since is not null && now - _lastHeld >= context.ClearAfter)
        {
            _since = null;
            if (_event is not null)
            {
                context.Book.Close(_event, EventEndReason.Cleared, _lastHeld, now);
                _event = null;
            }
        }
    }

    public override void EndAll(EventEndReason reason, DateTime at, RuleContext context)
    {
        if (_event is not null)
            context.Book.Close(_event, reason, _lastHeld, at);
        _event = null;
        _since = null;
    }

    /// <summary>Everyone counted, each with their own box, for the snapshot; built only when a frame is kept.</summary>
    private List<SnapshotBox> Members(ReadOnlySpan<SceneObject> objects, ReadOnlySpan<ulong> zoneMasks)
    {
        var boxes = new List<SnapshotBox>();
        for (var i = 0; i < objects.Length; i++)
        {
            ref readonly var item = ref objects[i];
            if (Definition.Labels.Contains(item.Label) && Definition.InZone(zoneMasks[i]))
                boxes.Add(new SnapshotBox(item.Box, EventBook.Caption(item.Label, item.Score)));
        }
        return boxes;
    }
}
