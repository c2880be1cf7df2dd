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
    });

    private Detection[] Run(IObjectDetector detector, TestImages.BgrImage image)
    {
        var detections = detector.Detect(image.Pixels, image.Width, image.Height).ToArray();
        foreach (var d in detections)
            output.WriteLine($"{d.Label} {d.Score:F2} [{d.X1:F0},{d.Y1:F0},{d.X2:F0},{d.Y2:F0}]");
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

    [Fact]
    public void YoloV5_finds_at_least_six_people_on_frame_200_of_vtest()
    {
        using var detector = Create(RepoPaths.YoloV5s, 0.25f);
        var detections = Run(detector, TestImages.VideoFrame(RepoPaths.VtestAvi, 200));
        Assert.True(detections.Count(d => d.Label == "person") >= 6);
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
