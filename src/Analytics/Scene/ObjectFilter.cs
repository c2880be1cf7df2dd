namespace Surveillance.Analytics.Scene;

/// <summary>
/// One camera's rules for what counts as an object: boxes of implausible size or shape for their label,
/// and objects standing in a masked area, are dropped before tracking; a track's score is judged against
/// the label's <see cref="LabelFilterOptions.MinScore"/> by the tracker.
/// </summary>
public sealed class ObjectFilter
{
    private static readonly LabelFilterOptions Default = new();

    private readonly LabelFilterOptions[] _byClass = new LabelFilterOptions[CocoClasses.Count];
    private readonly SceneMask _mask;

    public ObjectFilter(IReadOnlyDictionary<string, LabelFilterOptions> filters, SceneMask mask)
    {
        Array.Fill(_byClass, Default);
        foreach (var (label, filter) in filters)
        {
            if (CocoClasses.TryGetId(label, out var id))
                _byClass[id] = filter;
        }
        _mask = mask;
    }

    public static ObjectFilter None { get; } = new(new Dictionary<string, LabelFilterOptions>(), SceneMask.None);

    /// <summary>The median score a track of this class needs before it is reported.</summary>
    public float MinTrackScore(int classId) => _byClass[classId].MinScore;

    /// <summary>Copies the detections that pass to <paramref name="kept"/> (which may be the same memory).</summary>
    /// <returns>How many were kept.</returns>
    public int Apply(ReadOnlySpan<Detection> detections, int frameWidth, int frameHeight, Span<Detection> kept)
    {
        var frameArea = (double)frameWidth * frameHeight;
        var count = 0;
        foreach (var detection in detections)
        {
            var filter = _byClass[detection.ClassId];
            var width = detection.Box.Width;
            var height = detection.Box.Height;
            var area = detection.Box.Area / frameArea;
            var ratio = height > 0 ? width / height : double.PositiveInfinity;
            if (area < filter.MinArea || area > filter.MaxArea || ratio < filter.MinRatio || ratio > filter.MaxRatio)
                continue;
            if (!_mask.IsEmpty && _mask.Covers(detection.Box.NormalizedFootPoint(frameWidth, frameHeight)))
                continue;
            kept[count++] = detection;
        }
        return count;
    }
}
