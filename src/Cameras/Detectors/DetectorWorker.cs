using Surveillance.Analytics;
using Surveillance.Analytics.Motion;
using Surveillance.Analytics.Regions;
using Surveillance.Cameras.Analysis;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Detectors;

/// <summary>
/// What one detector worker runs: the whole-frame model and, with <see cref="DetectorOptions.Regions"/>, the region model
/// with the planner that cuts a frame's regions. Not thread-safe: one per worker thread.
/// </summary>
public sealed class DetectorWorker : IDisposable
{
    private readonly RegionDetector? _regionDetector;
    private readonly RegionPlanner? _planner;
    private readonly PixelRegion[] _regions = [];
    private int _regionCount;

    public DetectorWorker(DetectorOptions options, AnalyticsMetrics metrics)
    {
        Whole = new OnnxObjectDetector(options, metrics);
        if (!options.Regions)
            return;
        try
        {
            _regionDetector = new RegionDetector(options, metrics);
            var maxRegions = RegionPlanner.RegionsCheaperThan((long)Whole.InputWidth * Whole.InputHeight, _regionDetector.InputPixels);
            _planner = new RegionPlanner(_regionDetector.RegionSide, maxRegions, MotionDetector.MaxMotionBoxes + 64, options.FullFrameInterval);
            _regions = new PixelRegion[maxRegions];
        }
        catch
        {
            _regionDetector?.Dispose();
            Whole.Dispose();
            throw;
        }
    }

    /// <summary>The whole-frame model, which also takes batches of whole frames.</summary>
    public OnnxObjectDetector Whole { get; }

    /// <summary>Regions cut that cost less than a whole frame; 0 without regions.</summary>
    public int MaxRegions => _planner?.MaxRegions ?? 0;

    /// <summary>How <paramref name="frame"/> is to be looked at (<see cref="CameraAnalysis.Plan"/>); a region plan's regions stay here for <see cref="DetectRegions"/>.</summary>
    public DetectionPlan Plan(CameraAnalysis analysis, Frame frame, List<EventOutput> output) =>
        analysis.Plan(frame, output, _planner, _regions, out _regionCount);

    /// <summary>Regions of the last plan, in frame pixels.</summary>
    public ReadOnlySpan<PixelRegion> Regions => _regions.AsSpan(0, _regionCount);

    /// <returns>What the region model found in the regions of the last plan, in frame pixels; valid until the next call.</returns>
    public ReadOnlySpan<Detection> DetectRegions(Frame frame) =>
        _regionDetector!.Detect(frame.Pixels, frame.Width, frame.Height, Regions);

    public void Dispose()
    {
        _regionDetector?.Dispose();
        Whole.Dispose();
    }
}
