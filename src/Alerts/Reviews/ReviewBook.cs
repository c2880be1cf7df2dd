using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Alerts.Reviews;

/// <summary>
/// Groups the node's events into review items, one per incident on a camera, and lets operators work them.
/// </summary>
/// <remarks>
/// An item opens with the <c>new</c> of an event on a camera (in a grid) that has no current item; every event of
/// that camera and grid that starts while one of the item's events is open, or less than
/// <see cref="ReviewOptions.MergeGap"/> after its last one ended, joins it, unless the item was closed (handled
/// or a false alarm): then it opens the next. So every event belongs to exactly one item. The alert stage calls
/// <see cref="Admit"/> before it publishes an event's message (a muted rule opens no event), then
/// <see cref="Record"/> with the alert as published; an operator's action is stored, published on the reviews
/// topic through the outbox, and every change goes to the live streams.
/// </remarks>
public sealed partial class ReviewBook
{
    public const string MessageKind = "review";
    private static readonly string[] SeverityOrder = ["info", "low", "medium", "high", "critical"];
    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly EventStore _store;
    private readonly MuteList _mutes;
    private readonly ReviewFeed _feed;
    private readonly IMqttPublisher _publisher;
    private readonly MqttTopics _topics;
    private readonly ReviewMetrics _metrics;
    private readonly ReviewOptions _options;
    private readonly EventsOptions _events;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    // The current item of each camera and grid, and the open events of each, so that a new event knows where it goes.
    private readonly Dictionary<(string Camera, string Grid), Incident> _incidents = [];
    private readonly Dictionary<string, Incident> _incidentOfEvent = new(StringComparer.Ordinal);
    // Events a mute kept from opening: their updates and end are held back too. Each leaves at its end.
    private readonly HashSet<string> _mutedEvents = new(StringComparer.Ordinal);
    private DateTime _prunedAt;

    public ReviewBook(EventStore store, MuteList mutes, ReviewFeed feed, IMqttPublisher publisher, MqttTopics topics, ReviewMetrics metrics,
        ReviewOptions options, EventsOptions events, TimeProvider time, ILogger<ReviewBook> logger)
    {
        _store = store;
        _mutes = mutes;
        _feed = feed;
        _publisher = publisher;
        _topics = topics;
        _metrics = metrics;
        _options = options;
        _events = events;
        _time = time;
        _logger = logger;
        // A node killed with events open never sent their ends: its items end where it left them.
        foreach (var item in store.OpenItems())
            store.SaveItem(item with { EndedAt = store.LastAlertAt(item.Id) ?? item.StartedAt }, Now);
    }

    public EventStore Store => _store;

    public MuteList Mutes => _mutes;

    public ReviewFeed Feed => _feed;

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// Whether the message of <paramref name="eventId"/> may go out: false for the <c>new</c> of an event that started
    /// (<paramref name="startedAt"/>, its frame's capture time) while its rule was muted on the camera (counted), and for
    /// every later message of that event.
    /// </summary>
    public bool Admit(string cameraId, string eventId, string rule, DateTime startedAt, bool isNew, bool isEnd)
    {
        lock (_lock)
        {
            if (_mutedEvents.Contains(eventId))
            {
                if (isEnd)
                    _mutedEvents.Remove(eventId);
                return false;
            }
            if (!isNew || !_mutes.IsMuted(cameraId, rule, startedAt))
                return true;
            if (!isEnd)
                _mutedEvents.Add(eventId);
        }
        _metrics.Muted.WithLabels(cameraId, rule).Inc();
        return false;
    }

    /// <summary>Adds an alert, as published (<paramref name="json"/>), to its event and that event's item.</summary>
    public void Record(Alert alert, byte[] json)
    {
        ReviewItem item;
        lock (_lock)
        {
            var incident = IncidentOf(alert);
            item = incident.Item;
            if (!item.EventIds.Contains(alert.EventId))
            {
                item = item with
                {
                    EventIds = [.. item.EventIds, alert.EventId],
                    Rules = Union(item.Rules, alert.Rule),
                    Labels = Union(item.Labels, alert.Label),
                    Severity = Highest(item.Severity, alert.Severity),
                };
            }
            if (alert.Type == "end")
            {
                incident.OpenEvents.Remove(alert.EventId);
                _incidentOfEvent.Remove(alert.EventId);
            }
            else
            {
                incident.OpenEvents.Add(alert.EventId);
                _incidentOfEvent[alert.EventId] = incident;
            }
            var ended = incident.OpenEvents.Count == 0;
            if (ended)
                incident.LastEndedAt = alert.EndedAt ?? alert.ObservedAt;
            item = item with
            {
                EndedAt = ended ? incident.LastEndedAt : null,
                Location = alert.Location ?? item.Location,
                NearbyVehicles = alert.Location is null ? item.NearbyVehicles : [.. alert.NearbyVehicles.Select(v => new ReviewVehicle(v.VehicleId, v.DistanceM))],
            };
            incident.Item = item;
            Stored(() => _store.AddAlert(alert, json, item, Now));
        }
        _feed.Publish(item);
        PruneIfDue();
    }

    /// <summary>Keeps an event's snapshot; the item shows the best of its events' snapshots (the highest score).</summary>
    public void RecordSnapshot(string eventId, byte[] jpeg)
    {
        ReviewItem? changed = null;
        lock (_lock)
        {
            if (!Stored(() => _store.AddSnapshot(eventId, jpeg)) || !_incidentOfEvent.TryGetValue(eventId, out var incident))
                return;
            var best = incident.Item.SnapshotEventId;
            if (best is null || (_store.TopScore(eventId) ?? 0) > (_store.TopScore(best) ?? 0))
            {
                incident.Item = changed = incident.Item with { SnapshotEventId = eventId };
                Stored(() => _store.SaveItem(changed, Now));
            }
        }
        if (changed is not null)
            _feed.Publish(changed);
    }

    public ReviewItem? Find(string id)
    {
        lock (_lock)
            return _incidents.Values.FirstOrDefault(i => i.Item.Id == id)?.Item ?? _store.Item(id);
    }

    /// <summary>
    /// An operator's action on an item: stored in its history, published on <c>{prefix}/reviews/{gridId}/{cameraId}</c>,
    /// sent to the live streams. Null when there is no such item; <paramref name="conflict"/> when the item is closed.
    /// </summary>
    /// <param name="action"><c>acknowledge</c>, <c>assign</c> or <c>close</c>.</param>
    /// <param name="state">The state it leaves the item in.</param>
    public ReviewItem? Act(string id, string action, string state, string? assignee, string by, string? comment, out string? conflict)
    {
        conflict = null;
        ReviewItem item;
        lock (_lock)
        {
            var incident = _incidents.Values.FirstOrDefault(i => i.Item.Id == id);
            if ((incident?.Item ?? _store.Item(id)) is not { } current)
                return null;
            if (ReviewState.IsClosed(current.State))
            {
                conflict = $"review item '{id}' is closed ({current.State}); nothing more can be done to it";
                return current;
            }
            item = current with
            {
                State = state,
                Assignee = assignee ?? current.Assignee,
                History = [.. current.History, new ReviewEntry(action, state, by, comment, Now)],
            };
            _store.SaveItem(item, Now);
            if (incident is not null)
                incident.Item = item;
        }
        if (state == ReviewState.FalseAlarm)
        {
            foreach (var rule in item.Rules)
                _metrics.FalseAlarms.WithLabels(item.CameraId, rule).Inc();
        }
        _publisher.AppendDurable($"reviews:{item.CameraId}", seq => new MqttMessage(
            _topics.Review(item.GridId, item.CameraId), ReviewJson.Serialize(item), "application/json", Retain: false, MessageKind, item.CameraId,
            $"Review item {item.Id} (seq {seq}) published: {action} by {by}, now {state}, camera {item.CameraId}, grid {item.GridId}")
        {
            UserProperties = new Dictionary<string, string>
            {
                ["reviewId"] = item.Id,
                ["action"] = action,
                ["state"] = state,
                ["gridId"] = item.GridId,
                ["cameraId"] = item.CameraId,
            },
        });
        _feed.Publish(item);
        return item;
    }

    private Incident IncidentOf(Alert alert)
    {
        if (_incidentOfEvent.TryGetValue(alert.EventId, out var open))
            return open;
        var key = (alert.CameraId, alert.GridId);
        if (_incidents.TryGetValue(key, out var incident) && !ReviewState.IsClosed(incident.Item.State)
            && (incident.OpenEvents.Count > 0 || alert.StartedAt - incident.LastEndedAt < _options.MergeGap))
            return incident;
        incident = new Incident(new ReviewItem
        {
            Id = Guid.CreateVersion7().ToString(),
            CameraId = alert.CameraId,
            GridId = alert.GridId,
            Severity = alert.Severity,
            Rules = [],
            Labels = [],
            EventIds = [],
            StartedAt = alert.StartedAt,
        });
        _incidents[key] = incident;
        return incident;
    }

    private void PruneIfDue()
    {
        var now = Now;
        if (now - _prunedAt < PruneEvery && _store.Bytes <= _events.MaxBytes)
            return;
        _prunedAt = now;
        HashSet<string> keep;
        lock (_lock)
            keep = [.. _incidents.Values.Where(i => i.OpenEvents.Count > 0).Select(i => i.Item.Id)];
        var pruned = Stored(() => _store.Prune(now - _events.MaxAge, _events.MaxBytes, keep));
        if (pruned > 0)
            LogPruned(pruned, _store.Bytes);
    }

    /// <summary>The alerts go out whatever becomes of their local copy: a store that fails is logged, not thrown.</summary>
    private T Stored<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (SqliteException e)
        {
            LogStoreFailed(e);
            return default!;
        }
    }

    private void Stored(Action write) => Stored(() =>
    {
        write();
        return true;
    });

    private static IReadOnlyList<string> Union(IReadOnlyList<string> values, string value) => values.Contains(value) ? values : [.. values, value];

    private static string Highest(string a, string b) => Array.IndexOf(SeverityOrder, b) > Array.IndexOf(SeverityOrder, a) ? b : a;

    [LoggerMessage(Level = LogLevel.Error, Message = "Events store: a write failed; the alerts still go out, the review queue misses it")]
    private partial void LogStoreFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Events store: {Count} oldest review item(s) deleted with their events (Events:MaxAge, Events:MaxBytes); {Bytes} bytes kept")]
    private partial void LogPruned(int count, long bytes);

    /// <summary>A camera's current item in a grid, its open events, and when the last of them ended.</summary>
    private sealed class Incident(ReviewItem item)
    {
        public ReviewItem Item { get; set; } = item;

        public HashSet<string> OpenEvents { get; } = new(StringComparer.Ordinal);

        public DateTime LastEndedAt { get; set; } = DateTime.MinValue;
    }
}
