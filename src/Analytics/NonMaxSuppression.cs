namespace Surveillance.Analytics;

/// <summary>Greedy class-wise non-maximum suppression, in place, without allocating.</summary>
public static class NonMaxSuppression
{
    /// <summary>
    /// Sorts <paramref name="detections"/> by score, keeps each box unless a higher-scoring box of the same
    /// class overlaps it by more than <paramref name="iouThreshold"/>, and moves the kept ones to the front.
    /// </summary>
    /// <returns>How many detections were kept.</returns>
    public static int Apply(Span<Detection> detections, float iouThreshold)
    {
        detections.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = 0;
        for (var i = 0; i < detections.Length; i++)
        {
            var candidate = detections[i];
            var suppressed = false;
            // Only boxes already kept can suppress: they all score at least as high.
            for (var k = 0; k < kept; k++)
            {
                if (detections[k].ClassId == candidate.ClassId && detections[k].Box.IntersectionOverUnion(candidate.Box) > iouThreshold)
                {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed)
                detections[kept++] = candidate;
        }
        return kept;
    }
}
