namespace Surveillance.Analytics;

/// <summary>
/// Decodes YOLOv5's output rows: <c>cx, cy, w, h</c> normalised to the input size (x and w by its width, y and h
/// by its height, so that an oblong input decodes like a square one), objectness and 80 class
/// probabilities, all already through a sigmoid. A row's score is objectness × its best class probability.
/// </summary>
public static class YoloV5Decoder
{
    public const int RowLength = 5 + CocoClasses.Count;

    /// <returns>The number of candidates written to <paramref name="candidates"/>, before NMS.</returns>
    public static int Decode(ReadOnlySpan<float> output, int inputWidth, int inputHeight, in InputGeometry geometry,
        float scoreThreshold, ClassFilter classes, Span<Detection> candidates)
    {
        var count = 0;
        var rows = output.Length / RowLength;
        for (var i = 0; i < rows; i++)
        {
            var row = output.Slice(i * RowLength, RowLength);
            var objectness = row[4];
            // Class probabilities are at most 1, so a weak objectness rules the row out without a class scan.
            if (objectness < scoreThreshold)
                continue;

            var classId = ArgMax(row[5..], out var classProbability);
            var score = objectness * classProbability;
            if (score < scoreThreshold || !classes.Contains(classId))
                continue;

            float cx = row[0] * inputWidth, cy = row[1] * inputHeight, halfW = row[2] * inputWidth / 2, halfH = row[3] * inputHeight / 2;
            candidates[count++] = geometry.ToFrame(classId, score, cx - halfW, cy - halfH, cx + halfW, cy + halfH);
        }
        return count;
    }

    internal static int ArgMax(ReadOnlySpan<float> values, out float max)
    {
        var best = 0;
        max = values[0];
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > max)
            {
                max = values[i];
                best = i;
            }
        }
        return best;
    }
}
