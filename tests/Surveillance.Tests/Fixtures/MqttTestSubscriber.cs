using System.Threading.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace Surveillance.Tests.Fixtures;

/// <summary>An MQTT client in the test, standing in for a grid operator's dispatch console.</summary>
public sealed class MqttTestSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly Channel<(string Topic, byte[] Payload)> _messages = Channel.CreateUnbounded<(string, byte[])>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Topic, byte[] Payload)> _history = new();

    /// <summary>Every message received, in order, whether or not a wait has consumed it.</summary>
    public IReadOnlyCollection<(string Topic, byte[] Payload)> History => _history;

    private MqttTestSubscriber(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            var message = (e.ApplicationMessage.Topic, System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload));
            _history.Enqueue(message);
            _messages.Writer.TryWrite(message);
            return Task.CompletedTask;
        };
    }

    private MqttClientOptions? _reconnectOptions;
    private string? _topicFilter;
    private volatile bool _disposed;

    /// <summary>Connects (retrying until <paramref name="timeout"/>, for a broker that is still starting) and subscribes.</summary>
    /// <param name="persistentSession">
    /// Keep a session on the broker under this client id: messages published while the subscriber is away
    /// are kept for it, and it reconnects by itself after the broker returns.
    /// </param>
    public static async Task<MqttTestSubscriber> ConnectAsync(int port, string topicFilter, TimeSpan timeout, string? persistentSession = null)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var subscriber = new MqttTestSubscriber(client);
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(persistentSession ?? $"test-subscriber-{Guid.NewGuid():N}")
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(5));
        if (persistentSession is not null)
            builder = builder.WithCleanStart(false).WithSessionExpiryInterval(3600);
        var options = builder.Build();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await client.ConnectAsync(options);
                break;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
        await client.SubscribeAsync(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce);
        if (persistentSession is not null)
        {
            subscriber._reconnectOptions = options;
            subscriber._topicFilter = topicFilter;
            client.DisconnectedAsync += _ => subscriber.ReconnectAsync();
        }
        return subscriber;
    }

    /// <summary>Times the subscriber got its session back after losing the broker.</summary>
    public int Reconnects { get; private set; }

    private async Task ReconnectAsync()
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!_disposed && !_client.IsConnected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            try
            {
                await _client.ConnectAsync(_reconnectOptions!);
                await _client.SubscribeAsync(_topicFilter!, MqttQualityOfServiceLevel.AtLeastOnce);
                Reconnects++;
            }
            catch (Exception) when (!_disposed)
            {
                // The broker is still away.
            }
        }
    }

    /// <summary>Every message received so far that is still unread, and those arriving within <paramref name="window"/>.</summary>
    public async Task<List<(string Topic, byte[] Payload)>> CollectAsync(TimeSpan window)
    {
        var collected = new List<(string, byte[])>();
        while (_messages.Reader.TryRead(out var waiting))
            collected.Add(waiting);
        using var cts = new CancellationTokenSource(window);
        try
        {
            while (true)
                collected.Add(await _messages.Reader.ReadAsync(cts.Token));
        }
        catch (OperationCanceledException)
        {
            return collected;
        }
    }

    /// <summary>Waits for the first message that satisfies <paramref name="match"/>, or fails after <paramref name="timeout"/>.</summary>
    public async Task<(string Topic, byte[] Payload)> WaitForAsync(Func<string, byte[], bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var message = await _messages.Reader.ReadAsync(cts.Token);
                if (match(message.Topic, message.Payload))
                    return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No matching MQTT message within {timeout.TotalSeconds} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_client.IsConnected)
            await _client.DisconnectAsync();
        _client.Dispose();
    }
}
