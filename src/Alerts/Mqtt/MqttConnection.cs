using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// The engine's one link to the broker. Keeps it up (reconnects with backoff; pings, since a dead TCP link
/// is not always reported as a disconnect), announces the node online with an offline last will, renews
/// subscriptions after every reconnect and hands incoming messages to their handlers. Before it first announces
/// the node, it makes sure no other running engine holds the same node id (<see cref="NodeIdGuard"/>).
/// </summary>
public sealed partial class MqttConnection : BackgroundService
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private readonly MqttOptions _options;
    private readonly NodeIdentity _node;
    private readonly NodeInstance _instance;
    private readonly NodeIdGuard _guard;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly MqttTopics _topics;
    private readonly AlertsMetrics _metrics;
    private readonly ILogger<MqttConnection> _logger;
    private readonly IMqttClient _client;
    private readonly BrokerCertificateValidator _certificates;
    private readonly X509Certificate2? _clientCertificate;
    private readonly List<(string Filter, Func<string, ReadOnlySequence<byte>, ValueTask> Handler)> _subscriptions = [];
    private readonly Lock _stateLock = new();
    private TaskCompletionSource _connected = NewSignal();
    private readonly List<Func<CancellationToken, Task>> _onConnected = [];
    private bool _claimed;

    public MqttConnection(IOptions<MqttOptions> options, IOptions<NodeIdentity> node, NodeInstance instance, MqttTopics topics,
        IHostApplicationLifetime lifetime, TimeProvider time, AlertsMetrics metrics, ILogger<MqttConnection> logger)
    {
        _metrics = metrics;
        _options = options.Value;
        _node = node.Value;
        _instance = instance;
        _guard = new NodeIdGuard(instance, time);
        _lifetime = lifetime;
        _topics = topics;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _certificates = new BrokerCertificateValidator(LoadPem("Mqtt:CaFile", _options.CaFile,
            path => X509Certificate2.CreateFromPem(File.ReadAllText(path))));
        _clientCertificate = LoadPem("Mqtt:ClientCertificateFile", _options.ClientCertificateFile,
            path => X509Certificate2.CreateFromPemFile(path, _options.ClientKeyFile));
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    /// <summary>Where messages go, as host:port (never with credentials).</summary>
    public string Endpoint => $"{BrokerHost}:{_options.Port}";

    /// <summary>Connected, and this engine's hold on its node id checked: until then nothing but that check goes out.</summary>
    public bool IsConnected => _client.IsConnected && _claimed;

    /// <summary>The id this engine connects with: the node's, made unique per process so that a duplicate cannot knock the first off.</summary>
    public string ClientId => $"surveillance-{_node.Id}-{_instance.Id[..8]}";

    /// <summary>Set when the engine stopped because another engine runs with its node id.</summary>
    public NodeIdInUseException? NodeIdConflict { get; private set; }

    private string BrokerHost => _options.UsesEmbeddedBroker ? "127.0.0.1" : _options.Host;

    /// <summary>Registers a subscription, kept across reconnects. Register before the host starts.</summary>
    public void Subscribe(string topicFilter, Func<string, ReadOnlySequence<byte>, ValueTask> handler) =>
        _subscriptions.Add((topicFilter, handler));

    /// <summary>Runs after every (re)connection, e.g. to publish retained state again.</summary>
    public void OnConnected(Func<CancellationToken, Task> action) => _onConnected.Add(action);

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_stateLock)
            return _connected.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Publishes and waits for the broker's acknowledgement (QoS 1).</summary>
    /// <exception cref="MqttLinkDownException">The broker did not take it; the link is dropped so it can be rebuilt.</exception>
    public async Task PublishAsync(MqttMessage message, CancellationToken cancellationToken)
    {
        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(message.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithContentType(message.ContentType)
            .WithRetainFlag(message.Retain);
        foreach (var (name, value) in message.UserProperties)
            builder = builder.WithUserProperty(name, System.Text.Encoding.UTF8.GetBytes(value).AsMemory());
        var mqtt = builder.Build();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        MqttClientPublishResult result;
        try
        {
            result = await _client.PublishAsync(mqtt, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Stopping: the message stays queued; whatever the client threw is no fault of the link.
            cancellationToken.ThrowIfCancellationRequested();
            await DropLinkAsync($"publish failed: {e.Message}").ConfigureAwait(false);
            throw new MqttLinkDownException($"publish to {Endpoint} failed: {e.Message}", e);
        }
        if (!result.IsSuccess)
            throw new MqttLinkDownException($"broker rejected {message.Kind} on {message.Topic}: {result.ReasonCode} {result.ReasonString}");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnectDelay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(stoppingToken).ConfigureAwait(false);
                    reconnectDelay = TimeSpan.FromSeconds(1);
                }
                await Task.WhenAny(Task.Delay(KeepAlive, stoppingToken), _guard.Conflict).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                if (_guard.Conflict.IsCompleted)
                    throw new NodeIdInUseException(_node.Id, await _guard.Conflict.ConfigureAwait(false));
                if (_client.IsConnected && !await PingAsync(stoppingToken).ConfigureAwait(false))
                    await DropLinkAsync("no answer to ping").ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NodeIdInUseException e)
            {
                await GiveWayAsync(e).ConfigureAwait(false);
                return;
            }
            catch (Exception e)
            {
                // Refused, timed out, reset, wrong credentials: the remedy is the same, try again later.
                MarkDisconnected();
                LogBrokerUnavailable(Endpoint, e.Message, reconnectDelay.TotalSeconds);
                // Stopping during the wait ends the loop above, not the host with an exception.
                await Task.Delay(reconnectDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                reconnectDelay = TimeSpan.FromTicks(Math.Min(reconnectDelay.Ticks * 2, MaxReconnectDelay.Ticks));
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(BrokerHost, _options.Port)
            .WithClientId(ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(_options.TimeoutSeconds))
            .WithKeepAlivePeriod(KeepAlive)
            // MQTT 5: the broker sends nothing larger, so an oversized message never reaches this process's memory.
            .WithMaximumPacketSize(_options.MaxIncomingPacketBytes)
            .WithCleanStart(true)
            .WithWillTopic(_topics.NodeAvailability)
            .WithWillPayload(Availability(NodeAvailability.Offline).ToJson())
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillContentType("application/json");
        if (!string.IsNullOrEmpty(_options.Username))
            builder = builder.WithCredentials(_options.Username, _options.Password);
        if (_options.TlsEnabled)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls()
                    .WithTargetHost(BrokerHost)
                    .WithCertificateValidationHandler(e => _certificates.Validate(e.Certificate, e.Chain, e.SslPolicyErrors));
                if (_clientCertificate is not null)
                    tls.WithClientCertificates([_clientCertificate]);
            });
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        MqttClientConnectResult result;
        try
        {
            result = await _client.ConnectAsync(builder.Build(), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_certificates.LastRefusal is { } refusal && !cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"TLS: {refusal}");
        }
        if (result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized)
        {
            throw new InvalidOperationException(
                $"broker refused the credentials of user '{_options.Username}' ({result.ResultCode}): check Mqtt:Username and Mqtt:Password");
        }
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"broker refused the connection: {result.ResultCode} {result.ReasonString}");

        // Receiving is harmless before the node id is claimed, and vehicle positions must not wait for it: an alert
        // raised meanwhile lists the patrol cars near it.
        await _client.SubscribeAsync(_topics.NodeAvailability, MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token).ConfigureAwait(false);
        foreach (var (filter, _) in _subscriptions)
            await _client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token).ConfigureAwait(false);
        if (!_claimed)
        {
            // Not under the connection timeout: a live holder may take a whole heartbeat to speak.
            await _guard.ClaimAsync(_node.Id, (holder, wait) => LogCheckingHolder(_node.Id, holder.InstanceId, holder.StartedAt, wait.TotalSeconds),
                cancellationToken).ConfigureAwait(false);
            _claimed = true;
        }
        await PublishAsync(AvailabilityMessage(NodeAvailability.Online), timeout.Token).ConfigureAwait(false);

        _metrics.BrokerConnected.Set(1);
        LogBrokerConnected(Endpoint, _subscriptions.Count);
        lock (_stateLock)
            _connected.TrySetResult();
        foreach (var action in _onConnected)
            await action(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This node's availability message, naming this process.</summary>
    public NodeAvailability Availability(string state) =>
        new(_node.Id, state) { InstanceId = _instance.Id, StartedAt = _instance.StartedAt };

    private MqttMessage AvailabilityMessage(string state) => new(
        _topics.NodeAvailability, Availability(state).ToJson(), "application/json", Retain: true,
        Kind: "availability", CameraId: null, Summary: $"node {_node.Id} {state}");

    /// <summary>
    /// Leaves the broker without a word on the node's topic (a clean disconnect sends no last will, so the engine
    /// that keeps the id still reads online) and stops this engine.
    /// </summary>
    private async Task GiveWayAsync(NodeIdInUseException conflict)
    {
        NodeIdConflict = conflict;
        LogNodeIdInUse(conflict.Message);
        MarkDisconnected();
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
        _lifetime.StopApplication();
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        try
        {
            return await _client.TryPingAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task DropLinkAsync(string reason)
    {
        MarkDisconnected();
        LogLinkDropped(Endpoint, reason);
        try
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private void MarkDisconnected()
    {
        _metrics.BrokerConnected.Set(0);
        lock (_stateLock)
        {
            if (_connected.Task.IsCompleted)
                _connected = NewSignal();
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs e)
    {
        var wasConnected = false;
        lock (_stateLock)
            wasConnected = _connected.Task.IsCompleted;
        MarkDisconnected();
        if (wasConnected)
            LogLinkDropped(Endpoint, e.Exception?.Message ?? e.Reason.ToString());
        return Task.CompletedTask;
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (topic == _topics.NodeAvailability)
        {
            ObserveAvailability(e.ApplicationMessage);
            return;
        }
        foreach (var (filter, handler) in _subscriptions)
        {
            if (MqttTopicFilterComparer.Compare(topic, filter) != MqttTopicFilterCompareResult.IsMatch)
                continue;
            try
            {
                await handler(topic, e.ApplicationMessage.Payload).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A handler's bug must not cut the link that every other message travels on.
                LogHandlerFailed(ex, topic);
            }
        }
    }

    private void ObserveAvailability(MqttApplicationMessage message)
    {
        NodeAvailability? availability;
        try
        {
            availability = NodeAvailability.FromJson(message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray());
        }
        catch (System.Text.Json.JsonException)
        {
            return; // Not ours to judge: some other client wrote there.
        }
        if (availability is not null)
            _guard.Observe(availability, message.Retain);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_client.IsConnected || NodeIdConflict is not null)
            return;
        try
        {
            await PublishAsync(AvailabilityMessage(NodeAvailability.Offline), cancellationToken).ConfigureAwait(false);
            MarkDisconnected(); // before the disconnect, which is then not reported as a lost link
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttLinkDownException or MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
        {
            // The broker went first; the last will says offline for us.
        }
        MarkDisconnected();
    }

    public override void Dispose()
    {
        _client.Dispose();
        _clientCertificate?.Dispose();
        base.Dispose();
    }

    private static X509Certificate2? LoadPem(string key, string? path, Func<string, X509Certificate2> load)
    {
        if (string.IsNullOrEmpty(path))
            return null;
        try
        {
            return load(path);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{key}: '{path}' is not a usable PEM certificate (or its key does not match): {e.Message}", e);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to MQTT broker {Broker} ({Subscriptions} subscriptions)")]
    private partial void LogBrokerConnected(string broker, int subscriptions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT broker {Broker} unavailable ({Reason}); retrying in {DelaySeconds} s")]
    private partial void LogBrokerUnavailable(string broker, string reason, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the link to MQTT broker {Broker}: {Reason}")]
    private partial void LogLinkDropped(string broker, string reason);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Node {NodeId}: the broker says instance {InstanceId} (started {StartedAt:u}) runs with this node id; waiting up to {Seconds} s for it to show it is alive")]
    private partial void LogCheckingHolder(string nodeId, string? instanceId, DateTime? startedAt, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Reason}; this engine stops")]
    private partial void LogNodeIdInUse(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a message on {Topic} failed")]
    private partial void LogHandlerFailed(Exception exception, string topic);
}
