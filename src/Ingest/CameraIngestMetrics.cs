using Prometheus;
using Surveillance.Ingest.Health;

namespace Surveillance.Ingest;

/// <summary>One camera's series of the <see cref="IngestMetrics"/>, held by whoever owns the camera's stream.</summary>
public sealed class CameraIngestMetrics
{
    private static readonly CameraState[] States = Enum.GetValues<CameraState>();

    private readonly Gauge.Child[] _state;

    internal CameraIngestMetrics(IngestMetrics metrics, string cameraId)
    {
        CameraId = cameraId;
        FramesDecoded = metrics.FramesDecoded.WithLabels(cameraId);
        DecoderStarts = metrics.DecoderStarts.WithLabels(cameraId);
        DecoderExits = metrics.DecoderExits.WithLabels(cameraId);
        Reconnects = metrics.Reconnects.WithLabels(cameraId);
        Stalls = metrics.Stalls.WithLabels(cameraId);
        Fps = metrics.Fps.WithLabels(cameraId);
        Grade = metrics.Grade.WithLabels(cameraId);
        _state = [.. States.Select(state => metrics.State.WithLabels(cameraId, Names.Of(state)))];
    }

    public string CameraId { get; }

    public Counter.Child FramesDecoded { get; }

    public Counter.Child DecoderStarts { get; }

    public Counter.Child DecoderExits { get; }

    public Counter.Child Reconnects { get; }

    public Counter.Child Stalls { get; }

    public Gauge.Child Fps { get; }

    public Gauge.Child Grade { get; }

    /// <summary>The 0-or-1 series of <paramref name="state"/>.</summary>
    public Gauge.Child State(CameraState state) => _state[Array.IndexOf(States, state)];

    internal void Publish(CameraHealthSnapshot health)
    {
        Fps.Set(health.Fps);
        Grade.Set((int)health.Grade);
        for (var i = 0; i < States.Length; i++)
            _state[i].Set(States[i] == health.State ? 1 : 0);
    }

    /// <summary>
    /// Takes every series of the camera out of the registry, so that a camera that left is not scraped on with
    /// its last values. Whatever still holds them afterwards counts into nothing.
    /// </summary>
    public void Remove()
    {
        FramesDecoded.Remove();
        DecoderStarts.Remove();
        DecoderExits.Remove();
        Reconnects.Remove();
        Stalls.Remove();
        Fps.Remove();
        Grade.Remove();
        foreach (var state in _state)
            state.Remove();
    }
}
