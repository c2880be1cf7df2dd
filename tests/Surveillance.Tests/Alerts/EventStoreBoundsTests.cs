using Surveillance.Alerts;
using Surveillance.Alerts.Reviews;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Alerts;

/// <summary>The events store's bounds: the oldest review items go first, each with every one of its events, and an item kept open is never deleted.</summary>
public sealed class EventStoreBoundsTests : IDisposable
{
    private readonly TemporaryOutbox _file = new();

    public void Dispose() => _file.Dispose();

    [Fact]
    public void Over_its_bytes_the_store_deletes_the_oldest_items_with_all_their_events()
    {
        using var store = new EventStore(_file.Path);
        var start = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);
        var size = AlertJson.Serialize(Alert("event-0a", start)).Length;
        for (var i = 0; i < 3; i++)
        {
            var item = new ReviewItem { Id = $"item-{i}", CameraId = "cam-1", GridId = "grid-A", Severity = "low", Rules = ["people"], Labels = ["person"], EventIds = [$"event-{i}a", $"event-{i}b"], StartedAt = start };
            foreach (var eventId in item.EventIds)
                store.AddAlert(Alert(eventId, start), AlertJson.Serialize(Alert(eventId, start)), item, start.AddMinutes(i));
        }
        Assert.Equal(6 * size, store.Bytes);

        // Four alerts' bytes allowed: the oldest item not kept goes, item-0 (older, but open) stays.
        var deleted = store.Prune(start.AddDays(-1), 4 * size, new HashSet<string> { "item-0" });

        Assert.Equal(1, deleted);
        Assert.Equal(4 * size, store.Bytes);
        var all = new EventQuery(null, null, null, null, null, null, 100);
        Assert.Equal(["item-2", "item-0"], store.Items(all).Select(i => i.Id).Order().Reverse());
        Assert.Equal(["event-0a", "event-0b", "event-2a", "event-2b"], store.Events(all).Select(e => e.Id).Order());
        Assert.Empty(store.AlertsOf("event-1a"));

        // By age: everything not kept whose last alert is older than the limit.
        Assert.Equal(1, store.Prune(start.AddMinutes(5), long.MaxValue, new HashSet<string> { "item-0" }));
        Assert.Equal(["item-0"], store.Items(all).Select(i => i.Id));
    }

    private static Alert Alert(string eventId, DateTime at) => new()
    {
        Id = Guid.NewGuid().ToString(), Type = "new", EventId = eventId, Rule = "people", RuleType = "any", Severity = "low", TrackId = 1,
        Zones = [], Count = 1, StartedAt = at, EndedAt = null, TopScore = 0.8, HasSnapshot = false, CameraId = "cam-1", CameraKind = "fixed",
        GridId = "grid-A", Label = "person", Score = 0.8, Box = new AlertBox(0, 0, 10, 10, 640, 480), Location = null, ObservedAt = at, NodeId = "node-1",
    };
}
