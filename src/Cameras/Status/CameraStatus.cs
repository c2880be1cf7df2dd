using System.Globalization;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;

namespace Surveillance.Cameras.Status;

/// <summary>
/// One camera's retained status on <c>{prefix}/cameras/{cameraId}/status</c>: said when its state, grade or last error
/// changes, when its frame rate has moved by a fifth of the expected rate (at most every few seconds, so that the rate
/// a camera comes back online with, still unmeasured, does not stay on the broker), every minute, and whenever the
/// node asks again (after a reconnection to the broker, whose retained state may be gone).
/// </summary>
public sealed class CameraStatus(CameraOptions camera, string nodeId, MqttTopics topics, IMqttPublisher publisher, TimeProvider time)
{
    private static readonly TimeSpan RepublishInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RateChangeInterval = TimeSpan.FromSeconds(5);
    private const double RateChange = 0.2;

    private readonly string _topic = topics.CameraStatus(camera.Id);
    private readonly string _source = SourceUrl.Parse(camera.Url).Redacted;
    private (CameraState State, ConnectionGrade Grade, string? LastError, double Fps, long At)? _published;

    /// <summary>Publishes the camera's health if it is due (see the class summary), or at once with <paramref name="force"/>.</summary>
    public void Refresh(CameraHealthSnapshot health, bool force = false)
    {
        var now = time.GetTimestamp();
        if (!force && _published is { } last && last.State == health.State && last.Grade == health.Grade && last.LastError == health.LastError
            && time.GetElapsedTime(last.At, now) < RepublishInterval
            && (Math.Abs(health.Fps - last.Fps) < RateChange * health.ExpectedFps || time.GetElapsedTime(last.At, now) < RateChangeInterval))
            return;
        publisher.PublishState(ToMessage(health));
        _published = (health.State, health.Grade, health.LastError, health.Fps, now);
    }

    /// <summary>The camera left the inventory: its retained status is removed (an empty retained message) rather than left to say <c>offline</c>.</summary>
    public void Withdraw() =>
        publisher.PublishState(new MqttMessage(_topic, [], "application/json", Retain: true, "status", camera.Id, $"Camera {camera.Id} status withdrawn: removed"));

    private MqttMessage ToMessage(CameraHealthSnapshot health)
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
            Source = _source,
            NodeId = nodeId,
            ReportedAt = time.GetUtcNow().UtcDateTime,
        };
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Camera {camera.Id} status: {report.State}, grade {report.Grade}, {report.Fps:0.#}/{report.ExpectedFps:0.#} fps");
        return new MqttMessage(_topic, report.ToJson(), "application/json", Retain: true, "status", camera.Id, summary);
    }
}
