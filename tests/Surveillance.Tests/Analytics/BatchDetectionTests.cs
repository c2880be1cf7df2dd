using Surveillance.Analytics;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// Frames of several cameras in one model run (a copy of the shipped model with a dynamic batch dimension)
/// find what the shipped model finds in each frame alone.
/// </summary>
public sealed class BatchDetectionTests
{
    private static readonly TestImages.BgrImage[] Frames =
    [
        TestImages.Load(RepoPaths.PersonJpg),
        TestImages.VideoFrame(RepoPaths.VtestAvi, 200),
        TestImages.Load(RepoPaths.DogJpg),
    ];

    private static OnnxObjectDetector Create(string model, int batchSize) => new(new DetectorOptions
    {
        Model = model,
        ScoreThreshold = 0.25f,
        Threads = 2,
        BatchSize = batchSize,
        Classes = [.. CocoClasses.All],
    }, FreshMetrics.Analytics());

    [Theory]
    [InlineData("yolov5s-640.onnx")]
    [InlineData("nanodet-m-416.onnx")]
    public void A_batch_of_three_frames_finds_what_each_frame_finds_alone(string modelFile)
    {
        var shipped = Path.Combine(RepoPaths.Models, modelFile);
        using var single = Create(shipped, 1);
        var alone = Frames.Select(f => single.Detect(f.Pixels, f.Width, f.Height).ToArray()).ToArray();

        using var batched = Create(DynamicBatchModels.Of(shipped), 4);
        Assert.Equal(4, batched.BatchCapacity);
        for (var slot = 0; slot < Frames.Length; slot++)
            batched.Load(slot, Frames[slot].Pixels, Frames[slot].Width, Frames[slot].Height);
        batched.Run(Frames.Length);

        for (var slot = 0; slot < Frames.Length; slot++)
        {
            var together = batched.Results(slot).ToArray();
            Assert.True(alone[slot].Length > 0, $"frame {slot}: nothing found alone");
            Assert.Equal(alone[slot].Select(d => d.Label), together.Select(d => d.Label));
            foreach (var (a, b) in alone[slot].Zip(together))
            {
                Assert.Equal(a.Score, b.Score, 0.01f);
                Assert.Equal(a.Box.X1, b.Box.X1, 1f);
                Assert.Equal(a.Box.Y1, b.Box.Y1, 1f);
                Assert.Equal(a.Box.X2, b.Box.X2, 1f);
                Assert.Equal(a.Box.Y2, b.Box.Y2, 1f);
            }
        }
    }

    [Fact]
    public void A_batch_size_above_one_with_a_batch_one_model_is_refused_with_the_way_out()
    {
        var e = Assert.Throws<DetectorSettingException>(() => Create(RepoPaths.YoloV5s, 2));
        Assert.Contains("Detector:BatchSize 2 needs a model with a dynamic batch dimension", e.Message);
        Assert.Contains("tools/dynamic_batch.py", e.Message);
    }
}
