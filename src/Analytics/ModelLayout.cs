using Microsoft.ML.OnnxRuntime;

namespace Surveillance.Analytics;

/// <summary>
/// Recognises a detector's family and input size from its graph, so that configuration names only a file
/// and a wrong file is refused with a reason instead of producing nonsense boxes.
/// </summary>
/// <remarks>
/// YOLOv5 inputs may be oblong (tools/reshape_input.py writes copies shaped like the detect frame, so that no run
/// computes letterbox padding); NanoDet's decoder derives its grids from a square input, so NanoDet must be square.
/// </remarks>
public sealed record ModelLayout(ModelFamily Family, string InputName, int InputHeight, int InputWidth, IReadOnlyList<string> OutputNames)
{
    /// <summary>Whether one run can take several images (the graph's batch dimension is free, not 1).</summary>
    public bool DynamicBatch { get; init; }

    public static ModelLayout Of(InferenceSession session, string modelPath)
    {
        if (session.InputMetadata.Count != 1)
            throw Unsupported(modelPath, $"it has {session.InputMetadata.Count} inputs, expected 1");
        var (inputName, input) = session.InputMetadata.First();
        var dims = input.Dimensions;
        if (input.ElementType != typeof(float) || dims.Length != 4)
            throw Unsupported(modelPath, $"input '{inputName}' is not a float32 image tensor of rank 4");

        var outputs = session.OutputMetadata;
        if (dims[3] == 3 && dims[1] > 0 && dims[2] > 0 && outputs.Count == 1
            && outputs.First().Value.Dimensions is [_, _, YoloV5Decoder.RowLength])
        {
            return new ModelLayout(ModelFamily.YoloV5, inputName, dims[1], dims[2], [outputs.First().Key]) { DynamicBatch = dims[0] < 0 };
        }

        if (dims[1] == 3 && dims[2] == dims[3] && dims[2] > 0 && outputs.Count == 6)
        {
            // Pair score and box outputs by point count; finer strides have more points.
            var scores = outputs.Where(o => o.Value.Dimensions is [_, _, CocoClasses.Count]).OrderByDescending(o => o.Value.Dimensions[1]).ToList();
            var boxes = outputs.Where(o => o.Value.Dimensions is [_, _, NanoDetDecoder.BoxLength]).OrderByDescending(o => o.Value.Dimensions[1]).ToList();
            if (scores.Count == 3 && boxes.Count == 3)
            {
                string[] names = [.. scores.Select(o => o.Key), .. boxes.Select(o => o.Key)];
                return new ModelLayout(ModelFamily.NanoDet, inputName, dims[2], dims[3], names) { DynamicBatch = dims[0] < 0 };
            }
        }

        throw Unsupported(modelPath, $"input [{string.Join(',', dims)}] with {outputs.Count} outputs matches neither YOLOv5 (NHWC, one [1,N,85] output) nor NanoDet (NCHW and square, 3 score and 3 box outputs)");
    }

    /// <summary>The strides of NanoDet's three levels (square input), from the point counts of its score outputs.</summary>
    public int StrideOf(int points) => InputWidth / (int)Math.Round(Math.Sqrt(points));

    private static InvalidOperationException Unsupported(string path, string reason) =>
        new($"Model '{path}' is not a supported detector: {reason}.");
}
