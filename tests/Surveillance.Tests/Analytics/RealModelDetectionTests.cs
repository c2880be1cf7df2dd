using Surveillance.Analytics;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Analytics;

/// <summary>The real pretrained models on the real media, checked against what a person sees in the pictures.</summary>
public sealed class RealModelDetectionTests(ITestOutputHelper output)
{
    private static OnnxObjectDetector Create(string model, float threshold, params string[] classes) => new(new DetectorOptions
    {
        Model = model,
        ScoreThreshold = threshold,
        Threads = 2,
        Classes = classes.Length == 0 ? [.. CocoClasses.All] : classes,
    }, FreshMetrics.Analytics());

    private Detection[] Run(IObjectDetector detector, TestImages.BgrImage image)
    {
        var detections = detector.Detect(image.Pixels, image.Width, image.Height).ToArray();
        foreach (var d in detections)
            output.WriteLine($"{d.Label} {d.Score:F2} [{d.Box.X1:F0},{d.Box.Y1:F0},{d.Box.X2:F0},{d.Box.Y2:F0}]");
        return detections;
    }

    [Fact]
    public void YoloV5_finds_the_person_the_horse_and_the_dog_in_person_jpg()
    {
        using var detector = Create(RepoPaths.YoloV5s, 0.25f);
        Assert.Equal(ModelFamily.YoloV5, detector.Family);
        var detections = Run(detector, TestImages.Load(RepoPaths.PersonJpg));

        var person = Assert.Single(detections, d => d.Label == "person");
        Assert.True(person.Score >= 0.9f, $"person scored {person.Score}");
        Assert.Contains(detections, d => d.Label == "horse" && d.Score >= 0.8f);
        Assert.Contains(detections, d => d.Label == "dog" && d.Score >= 0.7f);
    }

    /// <remarks>
    /// Frame 200 (0-based) of vtest.avi, looked at by eye: seven people — one by the cones on the left, one
    /// on the left of the road, one walking up the middle, two on the right of the road and two far away by
    /// the buildings — plus the parked van and the parked car at the top right.
    /// </remarks>
    [Fact]
    public void YoloV5_finds_the_people_on_frame_200_of_vtest()
    {
        using var detector = Create(RepoPaths.YoloV5s, 0.25f, "person", "car", "truck");
        var detections = Run(detector, TestImages.VideoFrame(RepoPaths.VtestAvi, 200));

        var people = detections.Where(d => d.Label == "person").ToArray();
        Assert.InRange(people.Length, 6, 7);
        // Every person stands on the paved area, not on the lawn in the bottom half of the picture.
        Assert.All(people, p => Assert.True(p.Box.Y2 < 380, $"person box bottom at {p.Box.Y2}"));
        // The parked vehicles at the top right.
        Assert.Contains(detections, d => d.Label is "car" or "truck" && d.Box.X1 > 600 && d.Box.Y2 < 120);
    }

    [Fact]
    public void Classes_not_of_interest_are_not_reported()
    {
        using var detector = Create(RepoPaths.YoloV5s, 0.25f, "person");
        var detections = Run(detector, TestImages.Load(RepoPaths.PersonJpg));
        Assert.All(detections, d => Assert.Equal("person", d.Label));
        Assert.Single(detections);
    }

    [Fact]
    public void YoloV5_finds_the_dog_and_the_bicycle_in_dog_jpg()
    {
        using var detector = Create(RepoPaths.YoloV5s, 0.25f);
        var detections = Run(detector, TestImages.Load(RepoPaths.DogJpg));
        Assert.Contains(detections, d => d.Label == "dog" && d.Score >= 0.85f);
        Assert.Contains(detections, d => d.Label == "bicycle" && d.Score >= 0.5f);
    }

    [Fact]
    public void A_file_that_is_not_a_detector_is_refused_with_the_reason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        try
        {
            var e = Assert.ThrowsAny<Exception>(() => Create(path, 0.5f));
            Assert.Contains(path, e.Message + e.InnerException?.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NanoDet_finds_the_person_in_person_jpg()
    {
        using var detector = Create(RepoPaths.NanoDet, 0.3f);
        Assert.Equal(ModelFamily.NanoDet, detector.Family);
        var detections = Run(detector, TestImages.Load(RepoPaths.PersonJpg));
        Assert.Contains(detections, d => d.Label == "person" && d.Score >= 0.6f);
    }
}
