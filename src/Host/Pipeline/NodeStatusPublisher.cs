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
    IOptions<NodeIdentity> node,
    MqttTopics topics,
    TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var (pending, oldest) = outbox.Backlog();
            var status = new NodeAvailability(node.Value.Id, NodeAvailability.Online)
            {
                OutboxPending = pending,
                OutboxOldestSeconds = Math.Round(oldest.TotalSeconds, 1),
            };
            outbox.PublishState(new MqttMessage(topics.NodeAvailability, status.ToJson(), "application/json", Retain: true,
                "availability", CameraId: null, $"node {node.Value.Id} online, {pending} alerts pending"));
        }
    }
}
