using Surveillance.Alerts.Outbox;

namespace Surveillance.Alerts.Mqtt;

/// <summary>The outbox's way to the broker, on a node alone: each stored message is published (QoS 1) and then forgotten.</summary>
public sealed class BrokerCourier(MqttConnection connection) : IOutboxCourier
{
    public bool DeliversToBroker => true;

    public bool IsReady => connection.IsConnected;

    public async Task<Carried> CarryAsync(StoredMessage stored, CancellationToken cancellationToken)
    {
        try
        {
            await connection.PublishAsync(stored.Message, cancellationToken).ConfigureAwait(false);
            return Carried.Delivered;
        }
        catch (MqttLinkDownException e)
        {
            return Carried.Deferred(e.Message);
        }
    }
}
