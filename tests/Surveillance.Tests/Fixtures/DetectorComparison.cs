using OpenCvSharp;
using Surveillance.Analytics;
using Xunit.Abstractions;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Two copies of a detector on the same real frames must find the same objects: each confident detection of either
/// has a partner of its class in the other, overlapping enough, and their scores differ little. For the copies that
/// tools/ derives from the bundled model (shaped inputs, INT8).
/// </summary>
public sealed class DetectorComparison(ITestOutputHelper output, double minimumIou)
{
    /// <summary>Detections at or above this score must have a partner in the other model's output.</summary>
    public const float Confident = 0.5f;

    /// <summary>Both models report down to this score, so that a confident box's partner just under <see cref="Confident"/> is still seen.</summary>
    public const float Reported = 0.2f;

    /// <summary>Real frames: the photo, the street video, both MOT15 sequences at their start, middle and end.</summary>
    public static readonly (string Media, int Index)[] Frames =
    [
        ("person.jpg", 0),
        ("vtest.avi", 200),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 0),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 35),
        ("mot15/TUD-Campus/TUD-Campus.mp4", 70),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 0),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 90),
        ("mot15/TUD-Stadtmitte/TUD-Stadtmitte.mp4", 178),
    ];

    public static OnnxObjectDetector Create(string model) => new(new DetectorOptions
    {
        Model = model,
        ScoreThreshold = Reported,
        Threads = 2,
        Classes = [.. CocoClasses.All],
    }, FreshMetrics.Analytics());

    public static TestImages.BgrImage Frame(string media, int index) =>
        Path.GetExtension(media) == ".jpg"
            ? TestImages.Load(Path.Combine(RepoPaths.Media, media))
            : TestImages.VideoFrame(Path.Combine(RepoPaths.Media, media), index);

    /// <summary>The frame scaled to the engine's default detect size (640×360), as ffmpeg hands it over, whatever its own shape.</summary>
    public static TestImages.BgrImage AtDetectSize(TestImages.BgrImage image)
    {
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var scaled = new Mat();
        Cv2.Resize(source, scaled, new Size(640, 360), interpolation: InterpolationFlags.Area);
        return TestImages.ToBgr(scaled);
    }

    /// <returns>For each confident detection of either model, the absolute score difference to its partner in the other.</returns>
    public List<float> Compare(string referenceModel, string candidateModel, Func<TestImages.BgrImage, TestImages.BgrImage> prepare)
    {
        using var referenceDetector = Create(referenceModel);
        using var candidateDetector = Create(candidateModel);
        var (referenceName, candidateName) = (Path.GetFileName(referenceModel), Path.GetFileName(candidateModel));
        var differences = new List<float>();
        foreach (var (media, index) in Frames)
        {
            var image = prepare(Frame(media, index));
            output.WriteLine($"{media} frame {index}, {image.Width}×{image.Height}: {referenceName} vs {candidateName}");
            var reference = referenceDetector.Detect(image.Pixels, image.Width, image.Height).ToArray();
            var candidate = candidateDetector.Detect(image.Pixels, image.Width, image.Height).ToArray();
            Assert.Contains(reference, d => d.Score >= Confident);
            differences.AddRange(MatchEach(reference, candidate, referenceName, candidateName));
            differences.AddRange(MatchEach(candidate, reference, candidateName, referenceName));
        }
        return differences;
    }

    public void AssertScoresClose(List<float> differences, float median, float percentile90, float largest)
    {
        differences.Sort();
        var (measuredMedian, measured90, measuredLargest) = (differences[differences.Count / 2], differences[(int)(differences.Count * 0.9)], differences[^1]);
        output.WriteLine($"{differences.Count} confident detections matched; score difference median {measuredMedian:F3}, 90th percentile {measured90:F3}, largest {measuredLargest:F3}");
        Assert.True(measuredMedian <= median, $"median score difference {measuredMedian:F3} > {median}");
        Assert.True(measured90 <= percentile90, $"90th percentile of score differences {measured90:F3} > {percentile90}");
        Assert.True(measuredLargest <= largest, $"largest score difference {measuredLargest:F3} > {largest}");
    }

    /// <summary>Each confident detection of <paramref name="from"/> has one of the same class in <paramref name="to"/> at IoU ≥ the minimum.</summary>
    /// <returns>The absolute score differences to the partners.</returns>
    private List<float> MatchEach(Detection[] from, Detection[] to, string fromName, string toName)
    {
        var differences = new List<float>();
        foreach (var d in from.Where(d => d.Score >= Confident))
        {
            var partner = to.Where(p => p.ClassId == d.ClassId).OrderByDescending(p => p.Box.IntersectionOverUnion(d.Box)).FirstOrDefault();
            var iou = partner == default ? 0 : partner.Box.IntersectionOverUnion(d.Box);
            output.WriteLine($"  {fromName} {d.Label} {d.Score:F3} [{d.Box.X1:F0},{d.Box.Y1:F0},{d.Box.X2:F0},{d.Box.Y2:F0}] → {toName} " +
                (partner == default ? "none" : $"{partner.Score:F3} [{partner.Box.X1:F0},{partner.Box.Y1:F0},{partner.Box.X2:F0},{partner.Box.Y2:F0}] IoU {iou:F3}, score Δ {partner.Score - d.Score:+0.000;-0.000;0.000}"));
            Assert.True(iou >= minimumIou, $"{fromName} {d.Label} {d.Score:F2} at {d.Box}: best {toName} box of its class has IoU {iou:F3} < {minimumIou}");
            differences.Add(MathF.Abs(partner.Score - d.Score));
        }
        return differences;
    }
}
