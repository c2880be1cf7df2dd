using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// MQTTnet's in-process broker on 127.0.0.1, started only when no broker is configured, so the engine
/// runs out of the box; <c>mosquitto_sub -h 127.0.0.1 -t 'surveillance/#' -v</c> shows what it publishes.
/// </summary>
public sealed partial class EmbeddedMqttBroker(IOptions<MqttOptions> options, ILogger<EmbeddedMqttBroker> logger)
    : IHostedService, IAsyncDisposable
{
    private MqttServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions,
            [new ClientIdAssigningAdapter(new MQTTnet.Server.Internal.Adapter.MqttTcpServerAdapter())]);
        // MQTT 5 clients without an id (mosquitto_sub -V mqttv5) are given one, sent back in the CONNACK.
        _server.ValidatingConnectionAsync += e =>
        {
            if (string.IsNullOrEmpty(e.ClientId))
                e.AssignedClientIdentifier = ClientIdAssigningAdapter.NewClientId();
            return Task.CompletedTask;
        };
        try
        {
            await _server.StartAsync().ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new InvalidOperationException(
                $"Mqtt:Port: the embedded broker cannot listen on 127.0.0.1:{port} ({e.Message}); set Mqtt:Host to use an existing broker or choose another Mqtt:Port", e);
        }
        LogStarted(port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
            await _server.StopAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No Mqtt:Host configured: embedded MQTT broker listening on 127.0.0.1:{Port}")]
    private partial void LogStarted(int port);
}
