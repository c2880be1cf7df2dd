namespace Surveillance.Analytics;

/// <summary>
/// Decodes one stride level of NanoDet's GFL head. Each grid point (col × stride, row × stride) has 80 class
/// scores (sigmoid applied) and, per side (left, top, right, bottom), a distribution over
/// <see cref="Bins"/> bins whose expectation times the stride is the distance from the point to that side.
/// </summary>
public static class NanoDetDecoder
{
    public const int Bins = 11;
    public const int BoxLength = 4 * Bins;

    /// <returns>The number of candidates written to <paramref name="candidates"/>, before NMS.</returns>
    public static int DecodeLevel(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int stride, int inputSize,
        in InputGeometry geometry, float scoreThreshold, ClassFilter classes, Span<Detection> candidates)
    {
        var points = scores.Length / CocoClasses.Count;
        if (boxes.Length != points * BoxLength)
            throw new ArgumentException($"Stride {stride}: {points} score rows but {boxes.Length / BoxLength} box rows.", nameof(boxes));
        var columns = inputSize / stride;

        var count = 0;
        for (var i = 0; i < points; i++)
        {
            var classId = YoloV5Decoder.ArgMax(scores.Slice(i * CocoClasses.Count, CocoClasses.Count), out var score);
            if (score < scoreThreshold || !classes.Contains(classId))
                continue;

            var box = boxes.Slice(i * BoxLength, BoxLength);
            float x = i % columns * stride, y = i / columns * stride;
            var left = ExpectedBin(box[..Bins]) * stride;
            var top = ExpectedBin(box.Slice(Bins, Bins)) * stride;
            var right = ExpectedBin(box.Slice(2 * Bins, Bins)) * stride;
            var bottom = ExpectedBin(box.Slice(3 * Bins, Bins)) * stride;
            candidates[count++] = geometry.ToFrame(classId, score, x - left, y - top, x + right, y + bottom);
        }
        return count;
    }

    /// <summary>The mean bin index under the softmax of <paramref name="logits"/>.</summary>
    public static float ExpectedBin(ReadOnlySpan<float> logits)
    {
        var max = logits[0];
        for (var i = 1; i < logits.Length; i++)
            max = MathF.Max(max, logits[i]);
        float sum = 0, weighted = 0;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }
        return weighted / sum;
    }
}
