using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras.Inventory;

namespace Surveillance.Cameras.Analysis;

/// <summary>Every camera's <see cref="CameraAnalysis"/>, by camera id.</summary>
public sealed class CameraAnalyses : IDisposable
{
    private readonly Dictionary<string, CameraAnalysis> _byCamera;

    public CameraAnalyses(IOptions<CameraSet> cameras, IOptions<TrackerOptions> tracker, IOptions<AlertOptions> alerts)
    {
        _byCamera = new Dictionary<string, CameraAnalysis>(StringComparer.Ordinal);
        foreach (var record in cameras.Value.EnabledRecords)
            _byCamera[record.Id] = new CameraAnalysis(record.Camera, record.Scene, record.Rules, tracker.Value, alerts.Value);
    }

    public CameraAnalysis this[string cameraId] => _byCamera[cameraId];

    public IEnumerable<CameraAnalysis> All => _byCamera.Values;

    public void Dispose()
    {
        foreach (var analysis in _byCamera.Values)
            analysis.Dispose();
    }
}
