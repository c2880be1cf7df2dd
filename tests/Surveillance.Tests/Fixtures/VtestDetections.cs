using OpenCvSharp;
using Surveillance.Analytics;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// YOLOv5s run once over vtest.avi as the demo engine sees it (640×480, every other frame: 5 of the video's
/// 10 frames per second), shared by the tests of tracking and rules. Detection is the slow part (tens of
/// milliseconds a frame here); the tracker and rules then replay these detections in microseconds.
/// </summary>
public sealed class VtestDetections
{
    public const int Width = 640;
    public const int Height = 480;

    /// <summary>Every <see cref="Step"/>th frame of the 10 fps video is analysed: 5 fps, the engine's default.</summary>
    public const int Step = 2;

    /// <summary>The video's own frame interval.</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Kept down to this score, so the tracker's second, weak-detection round has something to work with.</summary>
    public const float StoredScoreThreshold = 0.25f;

    public static readonly DateTime Start = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private readonly Dictionary<int, Detection[]> _byFrame = [];

    public VtestDetections()
    {
        using var detector = new OnnxObjectDetector(new DetectorOptions
        {
            Model = RepoPaths.YoloV5s,
            ScoreThreshold = StoredScoreThreshold,
            Threads = 2,
        }, FreshMetrics.Analytics());
        foreach (var (index, image) in Frames(0, int.MaxValue))
            _byFrame[index] = detector.Detect(image.Pixels, image.Width, image.Height).ToArray();
        LastFrame = _byFrame.Keys.Max();
    }

    /// <summary>The last analysed frame index (the video has 795 frames, 0–794).</summary>
    public int LastFrame { get; }

    /// <summary>The detections of an analysed frame (an even index) scoring at least <paramref name="minScore"/>.</summary>
    public Detection[] At(int frame, float minScore) => [.. _byFrame[frame].Where(d => d.Score >= minScore)];

    /// <summary>When the engine would have captured frame <paramref name="index"/> of the video.</summary>
    public static DateTime TimeOf(int index) => Start + index * FrameInterval;

    /// <summary>The analysed frames from <paramref name="first"/> to <paramref name="last"/>, decoded by OpenCV and scaled as ffmpeg would for the demo.</summary>
    public static IEnumerable<(int Index, TestImages.BgrImage Image)> Frames(int first, int last)
    {
        using var capture = new VideoCapture(RepoPaths.VtestAvi);
        if (!capture.IsOpened())
            throw new InvalidOperationException($"Could not open {RepoPaths.VtestAvi}.");
        using var frame = new Mat();
        using var scaled = new Mat();
        for (var index = 0; index <= last && capture.Read(frame) && !frame.Empty(); index++)
        {
            if (index < first || index % Step != 0)
                continue;
            Cv2.Resize(frame, scaled, new Size(Width, Height), 0, 0, InterpolationFlags.Area);
            yield return (index, TestImages.ToBgr(scaled));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class VtestDetectionsShared : ICollectionFixture<VtestDetections>
{
    public const string Name = "vtest.avi detections";
}
