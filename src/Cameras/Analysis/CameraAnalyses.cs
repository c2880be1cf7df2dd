using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras.Inventory;

namespace Surveillance.Cameras.Analysis;

/// <summary>Every camera's <see cref="CameraAnalysis"/>, by camera id.</summary>
public sealed class CameraAnalyses : IDisposable
{
    private readonly Dictionary<string, CameraAnalysis> _byCamera;

    public CameraAnalyses(IOptions<CameraSet> cameras, IOptions<TrackerOptions> tracker, IOptions<AlertOptions> alerts, PipelineMetrics metrics)
    {
        var set = cameras.Value;
        _byCamera = new Dictionary<string, CameraAnalysis>(StringComparer.Ordinal);
        for (var i = 0; i < set.Cameras.Count; i++)
            _byCamera[set.Cameras[i].Id] = new CameraAnalysis(set.Cameras[i], set.Scenes[i], set.RuleSets[i], tracker.Value, alerts.Value, metrics);
    }

    public CameraAnalysis this[string cameraId] => _byCamera[cameraId];

    public IEnumerable<CameraAnalysis> All => _byCamera.Values;

    public void Dispose()
    {
        foreach (var analysis in _byCamera.Values)
            analysis.Dispose();
    }
}
