using System.Buffers;
using Microsoft.Extensions.Logging;
using Prometheus;
using Surveillance.Alerts.Mqtt;
using Surveillance.Host.Diagnostics;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// Feeds the patrol vehicles' GPS reports from <c>{prefix}/vehicles/{vehicleId}/position</c> into their
/// tracks. Bad reports are counted by reason and logged at most every few seconds per reason.
/// </summary>
public sealed partial class VehiclePositionListener
{
    private readonly MqttTopics _topics;
    private readonly VehicleRegistry _vehicles;
    private readonly ILogger<VehiclePositionListener> _logger;
    private readonly LogRateLimiter _warnings;
    private readonly Counter _accepted;
    private readonly Counter _rejected;

    /// <param name="metrics">The engine's metric factory, for the counts of fixes accepted and refused.</param>
    public VehiclePositionListener(MqttConnection connection, MqttTopics topics, VehicleRegistry vehicles, TimeProvider time,
        IMetricFactory metrics, ILogger<VehiclePositionListener> logger)
    {
        _accepted = metrics.CreateCounter(
            "surveillance_gps_fixes_accepted_total", "GPS fixes added to a vehicle's track.", ["vehicle"]);
        _rejected = metrics.CreateCounter(
            "surveillance_gps_fixes_rejected_total", "GPS reports refused, by reason (malformed, out-of-range, unknown-vehicle, ...).", ["reason"]);
        _topics = topics;
        _vehicles = vehicles;
        _logger = logger;
        _warnings = new LogRateLimiter(TimeSpan.FromSeconds(10), time);
        connection.Subscribe(topics.AllVehiclePositions, OnPositionAsync);
    }

    private ValueTask OnPositionAsync(string topic, ReadOnlySequence<byte> payload)
    {
        var vehicleId = _topics.VehicleIdOf(topic);
        var rejection = vehicleId is null
            ? GpsFixRejection.UnknownVehicle
            : payload.Length > GpsFixParser.MaxPayloadBytes
                ? GpsFixRejection.TooLarge
                : _vehicles.Accept(vehicleId, payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());

        if (rejection == GpsFixRejection.None)
        {
            _accepted.WithLabels(vehicleId!).Inc();
            return ValueTask.CompletedTask;
        }

        var reason = GpsFixRejectionNames.Of(rejection);
        _rejected.WithLabels(reason).Inc();
        if (_warnings.ShouldLog(reason, out var suppressed))
            LogRejected(reason, topic, suppressed);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "GPS report on {Topic} refused: {Reason} ({Suppressed} more refused for this reason since the last warning)")]
    private partial void LogRejected(string reason, string topic, int suppressed);
}
