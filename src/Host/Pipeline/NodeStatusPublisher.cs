using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Keeps the node's retained availability message current with the outbox backlog, so that an operator
/// sees at a glance that a node is up and whether it is holding undelivered alerts.
/// </summary>
public sealed class NodeStatusPublisher(
    MqttOutbox outbox,
    MqttConnection connection,
    IOptions<NodeIdentity> node,
    MqttTopics topics,
    TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Also the heartbeat by which a second engine with this node id sees that this one runs (NodeIdGuard).
        using var timer = new PeriodicTimer(NodeAvailability.HeartbeatInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var (pending, oldest) = outbox.Backlog();
            var status = connection.Availability(NodeAvailability.Online) with
            {
                OutboxPending = pending,
                OutboxOldestSeconds = Math.Round(oldest.TotalSeconds, 1),
            };
            outbox.PublishState(new MqttMessage(topics.NodeAvailability, status.ToJson(), "application/json", Retain: true,
                "availability", CameraId: null, $"node {node.Value.Id} online, {pending} alerts pending"));
        }
    }
}
