namespace Surveillance.Analytics.Regions;

/// <summary>
/// Detects in regions of a frame through the small region model (<see cref="DetectorOptions.RegionModel"/>), one run per
/// region, and gives what all of them found in pixels of the whole frame, with the boxes that two overlapping regions
/// both found suppressed. Not thread-safe: one per worker, beside its whole-frame detector. Allocates nothing per frame
/// once its buffer has grown to the busiest frame.
/// </summary>
public sealed class RegionDetector : IDisposable
{
    private readonly OnnxObjectDetector _model;
    private readonly float _iouThreshold;
    private Detection[] _found = new Detection[64];

    public RegionDetector(DetectorOptions options, AnalyticsMetrics metrics)
    {
        _model = new OnnxObjectDetector(options.ForRegions(), metrics);
        if (_model.Family is var family && family != ModelFamily.YoloV5)
        {
            _model.Dispose();
            throw new DetectorSettingException($"Detector:RegionModel: '{options.RegionModel}' is a {family} model; regions need a YOLOv5 model (tools/shaped-models.sh makes models/yolov5s-320x320.onnx)");
        }
        _iouThreshold = options.IouThreshold;
    }

    /// <summary>The region model's input, width × height: a region's cost, whatever its size in the frame.</summary>
    public long InputPixels => (long)_model.InputWidth * _model.InputHeight;

    /// <summary>The smallest region worth cutting: the model's input side, so that a region is never shrunk to fit it.</summary>
    public int RegionSide => Math.Min(_model.InputWidth, _model.InputHeight);

    /// <returns>The detections of all <paramref name="regions"/> of the frame, in its pixels, after NMS across regions; valid until the next call.</returns>
    public ReadOnlySpan<Detection> Detect(ReadOnlySpan<byte> bgr, int width, int height, ReadOnlySpan<PixelRegion> regions)
    {
        var count = 0;
        foreach (var region in regions)
        {
            _model.Load(0, bgr, width, height, region);
            _model.Run(1);
            var found = _model.Results(0);
            if (_found.Length < count + found.Length)
                Array.Resize(ref _found, Math.Max(count + found.Length, _found.Length * 2));
            foreach (var detection in found)
            {
                if (!IsCut(detection.Box, region, width, height))
                    _found[count++] = detection;
            }
        }
        var kept = regions.Length > 1 ? NonMaxSuppression.Apply(_found.AsSpan(0, count), _iouThreshold) : count;
        return _found.AsSpan(0, kept);
    }

    /// <summary>Pixels from a region's edge within which a box counts as touching it.</summary>
    private const float EdgeTolerance = 2;

    /// <summary>
    /// Whether a box touches an edge of its region that is not the frame's: the object goes on beyond the region, and the box
    /// holds only the part inside. Such a box would be reported as a smaller object beside the real one; regions are cut
    /// around tracks with a margin, so what is cut is seen whole in its own region or in the next whole frame.
    /// </summary>
    private static bool IsCut(in Geometry.BoundingBox box, PixelRegion region, int width, int height) =>
        (region.X > 0 && box.X1 <= region.X + EdgeTolerance)
        || (region.Y > 0 && box.Y1 <= region.Y + EdgeTolerance)
        || (region.X + region.Width < width && box.X2 >= region.X + region.Width - EdgeTolerance)
        || (region.Y + region.Height < height && box.Y2 >= region.Y + region.Height - EdgeTolerance);

    public void Dispose() => _model.Dispose();
}
