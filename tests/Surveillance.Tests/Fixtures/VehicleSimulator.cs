using System.Globalization;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A patrol vehicle's GPS unit: drives north from a start point at a constant speed and publishes a fix
/// twice a second, each stamped with the time it describes.
/// </summary>
public sealed class VehicleSimulator : IAsyncDisposable
{
    public const double MetresPerDegreeLatitude = 111_320;

    private readonly IMqttClient _client;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private Task _driving = Task.CompletedTask;

    private VehicleSimulator(IMqttClient client, string topic, double startLat, double lon, DateTime startTime, double speed)
    {
        _client = client;
        _topic = topic;
        (StartLat, Lon, StartTime, Speed) = (startLat, lon, startTime, speed);
    }

    public double StartLat { get; }

    public double Lon { get; }

    public DateTime StartTime { get; }

    /// <summary>Metres per second, due north.</summary>
    public double Speed { get; }

    /// <summary>The time the last fix published describes (its <c>fixTime</c>, to the millisecond); null before the first.</summary>
    public DateTime? LastFixTime { get; private set; }

    /// <summary>Where the vehicle is at <paramref name="time"/>, on its straight route.</summary>
    public double LatAt(DateTime time) => StartLat + Speed * (time - StartTime).TotalSeconds / MetresPerDegreeLatitude;

    public static async Task<VehicleSimulator> StartAsync(int brokerPort, string topic, double startLat, double lon, double speed)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort)
            .WithClientId($"vehicle-{Guid.NewGuid():N}").Build());
        var vehicle = new VehicleSimulator(client, topic, startLat, lon, DateTime.UtcNow, speed);
        vehicle._driving = Task.Run(vehicle.DriveAsync);
        return vehicle;
    }

    private async Task DriveAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var utcNow = DateTime.UtcNow;
                var now = new DateTime(utcNow.Ticks - utcNow.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                var json = string.Create(CultureInfo.InvariantCulture,
                    $$"""{"lat":{{LatAt(now):0.0000000}},"lon":{{Lon}},"fixTime":"{{now:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}}","heading":0,"speed":{{Speed}},"accuracy":3}""");
                await PublishAsync(Encoding.UTF8.GetBytes(json));
                LastFixTime = now;
                await Task.Delay(500, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Publishes anything on the vehicle's topic, as a faulty unit might.</summary>
    public Task PublishAsync(byte[] payload) => _client.PublishAsync(new MqttApplicationMessageBuilder()
        .WithTopic(_topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>The unit goes quiet (tunnel, power cut); the client stays connected.</summary>
    public async Task StopReportingAsync()
    {
        await _stop.CancelAsync();
        await _driving;
    }

    public async ValueTask DisposeAsync()
    {
        await StopReportingAsync();
        await _client.DisconnectAsync();
        _client.Dispose();
        _stop.Dispose();
    }
}
