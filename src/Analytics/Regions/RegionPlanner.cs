using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics.Regions;

/// <summary>
/// Turns what moved and what is tracked on a frame into the few square regions a small model looks at instead of the
/// whole frame, as Frigate does (<c>get_cluster_region</c>): boxes are grown by a margin, gathered into clusters that
/// fit one region, and each cluster gets a square around it, at least <see cref="RegionSide"/> pixels (the region model's
/// input, so nothing is shrunk that would be seen whole at that size), larger for a larger cluster, kept inside the frame.
/// When more regions would be needed than cost less than the whole frame, the answer is the whole frame.
/// Not thread-safe; allocates nothing once made.
/// </summary>
public sealed class RegionPlanner
{
    /// <summary>A box grows by this share of its longer side on every side: a person cut at a region's edge is not found whole.</summary>
    private const float Margin = 0.25f;

    /// <summary>And by at least this many pixels: a motion box hugs the moving pixels, and a limb is a few pixels from them.</summary>
    private const float MinMargin = 16;

    private readonly BoundingBox[] _clusters;
    private readonly BoundingBox[] _grown;

    /// <param name="regionSide">The smallest region, in frame pixels: the region model's input side.</param>
    /// <param name="maxRegions">Regions that together cost less than one run of the whole-frame model.</param>
    /// <param name="maxBoxes">The most boxes a frame brings; more are taken as a reason to look at the whole frame.</param>
    /// <param name="wholeFrameInterval">How often a camera's frame goes whole through the whole-frame model all the same.</param>
    public RegionPlanner(int regionSide, int maxRegions, int maxBoxes, TimeSpan wholeFrameInterval)
    {
        WholeFrameInterval = wholeFrameInterval;
        ArgumentOutOfRangeException.ThrowIfLessThan(regionSide, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRegions);
        RegionSide = regionSide;
        MaxRegions = maxRegions;
        _clusters = new BoundingBox[maxRegions + 1];
        _grown = new BoundingBox[maxBoxes];
    }

    public int RegionSide { get; }

    public int MaxRegions { get; }

    public TimeSpan WholeFrameInterval { get; }

    /// <summary>
    /// How many regions of the model at <paramref name="regionInputPixels"/> cost less than one run of the whole-frame model
    /// at <paramref name="fullInputPixels"/>: model time grows with the input's pixels.
    /// </summary>
    public static int RegionsCheaperThan(long fullInputPixels, long regionInputPixels) =>
        (int)Math.Max(0, (fullInputPixels - 1) / regionInputPixels);

    /// <summary>Plans the regions of a <paramref name="frameWidth"/> × <paramref name="frameHeight"/> frame around <paramref name="boxes"/> (frame pixels).</summary>
    /// <param name="regions">Receives the regions; at least <see cref="MaxRegions"/> long.</param>
    /// <returns>How many regions were written (0 when there is nothing to look at), or -1 when the whole frame is the cheaper look.</returns>
    public int Plan(int frameWidth, int frameHeight, ReadOnlySpan<BoundingBox> boxes, Span<PixelRegion> regions)
    {
        if (boxes.Length > _grown.Length)
            return -1;
        var count = 0;
        foreach (var box in boxes)
        {
            var clipped = box.Clamp(frameWidth, frameHeight);
            if (clipped.Area <= 0)
                continue;
            var margin = MathF.Max(MinMargin, Margin * MathF.Max(clipped.Width, clipped.Height));
            _grown[count++] = new BoundingBox(clipped.X1 - margin, clipped.Y1 - margin, clipped.X2 + margin, clipped.Y2 + margin).Clamp(frameWidth, frameHeight);
        }
        if (count == 0)
            return 0;
        // Largest first, so that small boxes join the cluster of a large one near them rather than start their own.
        _grown.AsSpan(0, count).Sort(static (a, b) => b.Area.CompareTo(a.Area));

        var clusters = 0;
        for (var i = 0; i < count; i++)
        {
            var box = _grown[i];
            var joined = false;
            for (var c = 0; c < clusters && !joined; c++)
            {
                var union = _clusters[c].Union(box);
                // Join only where the two fit one region of the smallest size: a larger region is shrunk into the model,
                // and people walking in a group, each overlapping the next, would make one region of half the frame.
                if (MathF.Max(union.Width, union.Height) <= RegionSide)
                {
                    _clusters[c] = union;
                    joined = true;
                }
            }
            if (joined)
                continue;
            if (clusters == MaxRegions)
                return -1;
            _clusters[clusters++] = box;
        }

        for (var c = 0; c < clusters; c++)
        {
            var cluster = _clusters[c];
            var side = (int)MathF.Ceiling(MathF.Max(RegionSide, MathF.Max(cluster.Width, cluster.Height)));
            var width = Math.Min(side, frameWidth);
            var height = Math.Min(side, frameHeight);
            if (width == frameWidth && height == frameHeight)
                return -1;
            var centre = cluster.Centre;
            var x = Math.Clamp((int)MathF.Round(centre.X - width / 2f), 0, frameWidth - width);
            var y = Math.Clamp((int)MathF.Round(centre.Y - height / 2f), 0, frameHeight - height);
            regions[c] = new PixelRegion(x, y, width, height);
        }
        return clusters;
    }
}
