using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;

namespace Surveillance.Cameras.Status;

/// <summary>
/// Publishes each camera's health, retained, to <c>{prefix}/cameras/{cameraId}/status</c>: when its state, grade
/// or last error changes, when its frame rate has moved by a fifth of the expected rate (at most every few seconds, so
/// that the rate a camera comes back online with, still unmeasured, does not stay on the broker), every minute,
/// and again after every reconnection to the broker. Also refreshes the per-camera health metrics.
/// </summary>
public sealed class CameraStatusPublisher : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RepublishInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RateChangeInterval = TimeSpan.FromSeconds(5);
    private const double RateChange = 0.2;

    private readonly IngestWorker _ingest;
    private readonly NodeIdentity _node;
    private readonly MqttTopics _topics;
    private readonly IMqttPublisher _publisher;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, CameraOptions> _cameras;
    private readonly Dictionary<string, (CameraState State, ConnectionGrade Grade, string? LastError, double Fps, long At)> _published = new(StringComparer.Ordinal);
    private volatile bool _republishAll;

    public CameraStatusPublisher(IngestWorker ingest, IOptions<CameraSet> cameras, IOptions<NodeIdentity> node, MqttTopics topics,
        MqttConnection connection, IMqttPublisher publisher, TimeProvider time)
    {
        _ingest = ingest;
        _node = node.Value;
        _topics = topics;
        _publisher = publisher;
        _time = time;
        _cameras = cameras.Value.Cameras.ToDictionary(c => c.Id, StringComparer.Ordinal);
        // Retained state on the broker may be gone (a broker restarted without persistence): say it again.
        connection.OnConnected(_ =>
        {
            _republishAll = true;
            return Task.CompletedTask;
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, _time);
        do
        {
            var all = _republishAll;
            _republishAll = false;
            foreach (var (cameraId, supervisor) in _ingest.Supervisors)
            {
                var health = supervisor.Health.Snapshot();
                var now = _time.GetTimestamp();
                if (all || !_published.TryGetValue(cameraId, out var last) || last.State != health.State || last.Grade != health.Grade
                    || last.LastError != health.LastError
                    || _time.GetElapsedTime(last.At, now) >= RepublishInterval
                    || (Math.Abs(health.Fps - last.Fps) >= RateChange * health.ExpectedFps && _time.GetElapsedTime(last.At, now) >= RateChangeInterval))
                {
                    _publisher.PublishState(ToMessage(_cameras[cameraId], health));
                    _published[cameraId] = (health.State, health.Grade, health.LastError, health.Fps, now);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // The last word on each camera, said after ingest has stopped (see the registration order): offline.
        foreach (var (cameraId, supervisor) in _ingest.Supervisors)
            _publisher.PublishState(ToMessage(_cameras[cameraId], supervisor.Health.Snapshot()));
    }

    private MqttMessage ToMessage(CameraOptions camera, CameraHealthSnapshot health)
    {
        var report = new CameraStatusReport
        {
            CameraId = camera.Id,
            CameraKind = Names.Of(camera.Kind),
            VehicleId = camera.VehicleId,
            GridId = camera.GridId,
            State = Names.Of(health.State),
            Grade = Names.Of(health.Grade),
            Fps = health.Fps,
            ExpectedFps = health.ExpectedFps,
            ReconnectsLastHour = health.ReconnectsLastHour,
            StallsLastHour = health.StallsLastHour,
            LastFrameAt = health.LastFrameAt,
            StateSince = health.StateSince,
            LastError = health.LastError,
            Source = SourceUrl.Parse(camera.Url).Redacted,
            NodeId = _node.Id,
            ReportedAt = _time.GetUtcNow().UtcDateTime,
        };
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Camera {camera.Id} status: {report.State}, grade {report.Grade}, {report.Fps:0.#}/{report.ExpectedFps:0.#} fps");
        return new MqttMessage(_topics.CameraStatus(camera.Id), report.ToJson(), "application/json", Retain: true, "status", camera.Id, summary);
    }
}
