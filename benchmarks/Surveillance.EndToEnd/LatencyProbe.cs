using System.Buffers;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace Surveillance.EndToEnd;

/// <summary>
/// Capture-to-publish latency as a dispatcher sees it: subscribed to every alert, it takes the time an alert
/// arrives minus the capture time of the frame it reports (<c>observedAt</c>). Same machine, same clock.
/// </summary>
public sealed class LatencyProbe : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly List<double> _milliseconds = [];
    private volatile bool _recording;

    private LatencyProbe(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var received = DateTime.UtcNow;
            if (_recording && Read(e.ApplicationMessage.Payload) is { } observedAt)
            {
                lock (_milliseconds)
                    _milliseconds.Add((received - observedAt).TotalMilliseconds);
            }
            return Task.CompletedTask;
        };
    }

    public static async Task<LatencyProbe> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-latency-probe").Build();
        await client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await client.SubscribeAsync($"{EngineProcess.TopicPrefix}/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        return new LatencyProbe(client);
    }

    /// <summary>Alerts are timed only while recording: the measured windows, not what lies between them.</summary>
    public void Record(bool on) => _recording = on;

    public IReadOnlyList<double> Recorded()
    {
        lock (_milliseconds)
            return [.. _milliseconds];
    }

    /// <summary>The capture time of a <c>new</c> or <c>update</c> alert; an <c>end</c> is sent when an object has been gone a while, not on a frame.</summary>
    private static DateTime? Read(ReadOnlySequence<byte> payload)
    {
        using var json = JsonDocument.Parse(payload);
        var root = json.RootElement;
        return root.TryGetProperty("type", out var type) && type.GetString() is "new" or "update"
            && root.TryGetProperty("observedAt", out var observed)
            ? observed.GetDateTime().ToUniversalTime()
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _client.DisconnectAsync().ConfigureAwait(false);
        _client.Dispose();
    }
}
