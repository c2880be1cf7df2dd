using Prometheus;
using Surveillance.Cameras;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

/// <summary>A camera's series, taken out of its engine's scrape when the camera leaves; the other cameras' stay.</summary>
public sealed class CameraMetricsRemovalTests
{
    [Fact]
    public async Task Removing_a_cameras_ingest_series_leaves_the_other_cameras_series()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new IngestMetrics(Metrics.WithCustomRegistry(registry));
        var leaving = metrics.ForCamera("cam-leaving");
        var staying = metrics.ForCamera("cam-staying");
        foreach (var camera in new[] { leaving, staying })
        {
            camera.FramesDecoded.Inc();
            camera.DecoderStarts.Inc();
            camera.DecoderExits.Inc();
            camera.Reconnects.Inc();
            camera.Stalls.Inc();
            camera.Fps.Set(5);
            camera.Grade.Set(3);
            camera.State(CameraState.Online).Set(1);
        }
        Assert.Contains("camera=\"cam-leaving\"", await Exposition.OfAsync(registry), StringComparison.Ordinal);

        leaving.Remove();

        var scrape = await Exposition.OfAsync(registry);
        Assert.DoesNotContain("cam-leaving", scrape, StringComparison.Ordinal);
        Assert.Equal(1, Exposition.Value(scrape, "surveillance_frames_decoded_total", "camera=\"cam-staying\""));
        Assert.Equal(1, Exposition.Value(scrape, "surveillance_camera_state", "camera=\"cam-staying\",state=\"online\""));
        Assert.Equal(0, Exposition.Value(scrape, "surveillance_camera_state", "camera=\"cam-staying\",state=\"offline\""));
    }

    [Fact]
    public async Task Removing_a_cameras_pipeline_series_takes_its_detections_and_events_by_label_and_rule_too()
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new PipelineMetrics(Metrics.WithCustomRegistry(registry));
        var leaving = metrics.ForCamera("cam-leaving");
        var staying = metrics.ForCamera("cam-staying");
        foreach (var camera in new[] { leaving, staying })
        {
            camera.FramesAnalysed.Inc();
            camera.FramesDropped.Inc();
            camera.Detections("person").Inc();
            camera.Detections("car").Inc(2);
            camera.EventsStarted("loitering", "grid-7").Inc();
            camera.EventsOpen.Set(1);
        }

        leaving.Remove();

        var scrape = await Exposition.OfAsync(registry);
        Assert.DoesNotContain("cam-leaving", scrape, StringComparison.Ordinal);
        Assert.Equal(2, Exposition.Value(scrape, "surveillance_detections_total", "camera=\"cam-staying\",label=\"car\""));
        Assert.Equal(1, Exposition.Value(scrape, "surveillance_events_started_total", "camera=\"cam-staying\",rule=\"loitering\",grid=\"grid-7\""));
    }
}
