using System.Text.Json;

namespace Surveillance.Tests.Fixtures;

/// <summary>What a dispatch console subscribed to <c>{prefix}/#</c> has seen: alerts, events and camera status.</summary>
public sealed class ConsoleView(MqttTestSubscriber subscriber, string prefix)
{
    private readonly List<(string Topic, byte[] Payload)> _messages = [];

    public IReadOnlyList<(string Topic, byte[] Payload)> Messages => _messages;

    /// <summary>Collects until <paramref name="done"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    public async Task UntilAsync(Func<ConsoleView, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(this))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what}: not reached within {timeout.TotalSeconds} s ({_messages.Count} messages)");
            _messages.AddRange(await subscriber.CollectAsync(TimeSpan.FromMilliseconds(250)));
        }
    }

    public async Task CollectAsync(TimeSpan window) => _messages.AddRange(await subscriber.CollectAsync(window));

    public List<JsonElement> Alerts(string? cameraId = null) =>
        [.. _messages.Where(m => m.Topic.StartsWith($"{prefix}/alerts/", StringComparison.Ordinal))
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())
            .Where(a => cameraId is null || a.GetProperty("cameraId").GetString() == cameraId)];

    /// <summary>Events of the camera that said <c>new</c> and not yet <c>end</c>.</summary>
    public List<string> OpenEvents(string? cameraId = null)
    {
        var open = new List<string>();
        foreach (var alert in Alerts(cameraId))
        {
            var eventId = alert.GetProperty("eventId").GetString()!;
            switch (alert.GetProperty("type").GetString())
            {
                case "new":
                    open.Add(eventId);
                    break;
                case "end":
                    open.Remove(eventId);
                    break;
            }
        }
        return open;
    }

    /// <summary>The end of an event, or null while it is open.</summary>
    public JsonElement? EndOf(string eventId) =>
        Alerts().Where(a => a.GetProperty("eventId").GetString() == eventId && a.GetProperty("type").GetString() == "end")
            .Select(a => (JsonElement?)a).FirstOrDefault();

    /// <summary>The camera's latest status message: null when none came, an empty payload when it was withdrawn.</summary>
    public byte[]? LatestStatus(string cameraId) =>
        _messages.LastOrDefault(m => m.Topic == $"{prefix}/cameras/{cameraId}/status").Payload;

    public string? StateOf(string cameraId) =>
        LatestStatus(cameraId) is { Length: > 0 } payload ? JsonDocument.Parse(payload).RootElement.GetProperty("state").GetString() : null;
}
