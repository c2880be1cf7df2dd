using Surveillance.Alerts;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Regions;
using Surveillance.Analytics.Scene;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras.Analysis;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;
using Xunit.Abstractions;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// Detection in regions (<c>Detector:Regions</c>): where a frame is cut, and what the 320 model finds in the cuts.
/// </summary>
public sealed class RegionDetectionTests(ITestOutputHelper output)
{
    private const int Width = 640;
    private const int Height = 360;

    private static string RegionModel => Path.Combine(RepoPaths.Models, "yolov5s-320x320.onnx");

    private static RegionPlanner Planner(int maxRegions = 3, TimeSpan? wholeFrameInterval = null) =>
        new(320, maxRegions, 96, wholeFrameInterval ?? TimeSpan.FromHours(1));

    [Fact]
    public void Two_boxes_within_one_region_side_share_a_region_and_far_apart_ones_get_one_each()
    {
        var regions = new PixelRegion[3];
        var count = Planner().Plan(Width, Height, [new BoundingBox(100, 100, 140, 200), new BoundingBox(180, 120, 220, 220)], regions);
        Assert.Equal(1, count);
        AssertInside(regions[0], new BoundingBox(100, 100, 220, 220));
        Assert.Equal((320, 320), (regions[0].Width, regions[0].Height));

        count = Planner().Plan(Width, Height, [new BoundingBox(10, 10, 50, 100), new BoundingBox(580, 250, 620, 340)], regions);
        Assert.Equal(2, count);
        Assert.Contains(regions[..2], r => Inside(r, new BoundingBox(10, 10, 50, 100)));
        Assert.Contains(regions[..2], r => Inside(r, new BoundingBox(580, 250, 620, 340)));
    }

    [Fact]
    public void A_region_at_the_frames_edge_is_moved_inside_it_and_an_object_larger_than_a_region_gets_a_larger_one()
    {
        var regions = new PixelRegion[3];
        Assert.Equal(1, Planner().Plan(Width, Height, [new BoundingBox(600, 300, 640, 360)], regions));
        Assert.Equal(new PixelRegion(320, 40, 320, 320), regions[0]);

        Assert.Equal(1, Planner().Plan(Width, Height, [new BoundingBox(100, 20, 300, 340)], regions));
        AssertInside(regions[0], new BoundingBox(100, 20, 300, 340));
        Assert.True(regions[0].Width > 320, $"{regions[0]}");
        Assert.Equal(Height, regions[0].Height);
    }

    [Fact]
    public void More_clusters_than_cost_less_than_the_whole_frame_mean_the_whole_frame_and_no_box_means_no_region()
    {
        var regions = new PixelRegion[3];
        BoundingBox[] corners = [new(0, 0, 30, 60), new(610, 0, 640, 60), new(0, 300, 30, 360), new(610, 300, 640, 360)];
        Assert.Equal(-1, Planner().Plan(Width, Height, corners, regions));
        Assert.Equal(3, Planner().Plan(Width, Height, corners.AsSpan(0, 3), regions));
        Assert.Equal(0, Planner().Plan(Width, Height, [], regions));
        // 640x640 costs four 320x320 runs: three are cheaper, four are not. 640x384 costs 2.4.
        Assert.Equal(3, RegionPlanner.RegionsCheaperThan(640 * 640, 320 * 320));
        Assert.Equal(2, RegionPlanner.RegionsCheaperThan(640 * 384, 320 * 320));
    }

    /// <summary>
    /// A still real background (a frame of the street video) with two textured boxes of known place moving across it:
    /// after the first frame (whole: nothing to compare with), every frame is planned in regions, and every moving box
    /// lies wholly inside one of them.
    /// </summary>
    [Fact]
    public void Regions_cover_every_moving_object_of_a_synthetic_scene()
    {
        var background = TestImages.VideoFrame(RepoPaths.VtestAvi, 0);
        var still = Resize(background, Width, Height);
        var random = new Random(7);
        var texture = new byte[40 * 90 * 3];
        random.NextBytes(texture);
        using var analysis = new CameraAnalysis(new CameraOptions { Id = "synthetic", DetectWidth = Width, DetectHeight = Height },
            new SceneOptions(), new CameraRuleOptions(), new TrackerOptions(), new AlertOptions { TimeZone = "UTC" }, FreshMetrics.Pipeline().ForCamera("synthetic"));
        var pool = new FramePool("synthetic", Width, Height);
        var planner = Planner();
        var regions = new PixelRegion[planner.MaxRegions];
        var outputs = new List<EventOutput>();
        var start = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var covered = 0;
        for (var i = 0; i < 40; i++)
        {
            // One walks right along the top, one walks left along the bottom, 12 px a frame.
            BoundingBox[] boxes = [new(20 + 12 * i, 30, 60 + 12 * i, 120), new(580 - 12 * i, 250, 620 - 12 * i, 340)];
            var frame = pool.Rent();
            still.CopyTo(frame.Buffer, 0);
            foreach (var box in boxes)
                Paint(frame.Buffer, box, texture);
            frame.Stamp(i, start.AddMilliseconds(200 * i));
            try
            {
                var plan = analysis.Plan(frame, outputs, planner, regions, out var count);
                if (i == 0)
                {
                    Assert.Equal(DetectionPlan.WholeFrame, plan);
                }
                else
                {
                    Assert.True(plan == DetectionPlan.Regions, $"frame {i}: {plan}");
                    foreach (var box in boxes)
                        Assert.True(regions[..count].Any(r => Inside(r, box)), $"frame {i}: {box} is in none of {string.Join(", ", regions[..count])}");
                    covered++;
                }
                analysis.Observe(frame, [], outputs);
            }
            finally
            {
                frame.Release();
            }
        }
        Assert.Equal(39, covered);
    }

    /// <summary>
    /// A patrol car's camera has no motion gate (its whole picture moves): its frames are looked at in regions around its
    /// tracks, whole every <see cref="RegionPlanner.WholeFrameInterval"/>, and not at all while it tracks nothing.
    /// </summary>
    [Fact]
    public void A_patrol_cameras_regions_follow_its_tracks_with_whole_frames_between_and_nothing_is_looked_at_without_tracks()
    {
        var pixels = Resize(TestImages.VideoFrame(RepoPaths.VtestAvi, 0), Width, Height);
        using var analysis = new CameraAnalysis(new CameraOptions { Id = "patrol", Kind = CameraKind.Patrol, DetectWidth = Width, DetectHeight = Height },
            new SceneOptions(), new CameraRuleOptions(), new TrackerOptions { LostAfterSeconds = 0.3 }, new AlertOptions { TimeZone = "UTC" }, FreshMetrics.Pipeline().ForCamera("patrol"));
        Assert.False(analysis.GateEnabled);
        var pool = new FramePool("patrol", Width, Height);
        var planner = Planner(wholeFrameInterval: TimeSpan.FromSeconds(1));
        var regions = new PixelRegion[planner.MaxRegions];
        var outputs = new List<EventOutput>();
        var start = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var plans = new List<DetectionPlan>();
        for (var i = 0; i < 12; i++)
        {
            // A person walking right, 10 px a frame, seen until frame 6; then nobody.
            var person = new BoundingBox(100 + 10 * i, 120, 140 + 10 * i, 220);
            var frame = pool.Rent();
            pixels.CopyTo(frame.Buffer, 0);
            frame.Stamp(i, start.AddMilliseconds(200 * i));
            try
            {
                var plan = analysis.Plan(frame, outputs, planner, regions, out var count);
                plans.Add(plan);
                if (plan == DetectionPlan.Regions)
                    Assert.True(regions.AsSpan(0, count).ToArray().Any(r => Inside(r, person)), $"frame {i}: {person} is in none of the regions");
                if (plan != DetectionPlan.Skip)
                    analysis.Observe(frame, i <= 6 ? [new Detection(0, 0.9f, person)] : [], outputs);
            }
            finally
            {
                frame.Release();
            }
        }
        // Whole at 0 s and 1 s (frame 5), regions on the person's track in between; once the track is gone after frame 6
        // (lost after two misses and Tracker:LostAfterSeconds, 0.3 s here), nothing until the next whole frame at 2 s (frame 10).
        output.WriteLine(string.Join(", ", plans.Select((p, i) => $"{i}: {p}")));
        Assert.Equal(DetectionPlan.WholeFrame, plans[0]);
        Assert.All(plans[1..5], p => Assert.Equal(DetectionPlan.Regions, p));
        Assert.Equal(DetectionPlan.WholeFrame, plans[5]);
        Assert.Equal(DetectionPlan.WholeFrame, plans[10]);
        Assert.Contains(DetectionPlan.Skip, plans[7..10]);
    }

    [Fact]
    public void The_region_model_finds_the_person_of_the_photo_where_the_whole_frame_model_does_and_drops_a_person_cut_by_a_regions_edge()
    {
        var image = TestImages.Load(RepoPaths.PersonJpg);
        var options = new DetectorOptions { Model = RepoPaths.YoloV5s, RegionModel = RegionModel, Regions = true, Threads = 2, Classes = ["person"] };
        using var whole = new OnnxObjectDetector(options, FreshMetrics.Analytics());
        var person = whole.Detect(image.Pixels, image.Width, image.Height).ToArray().MaxBy(d => d.Score);
        output.WriteLine($"{image.Width}x{image.Height}, whole frame: {person.Box} {person.Score:0.00}");

        using var regions = new RegionDetector(options, FreshMetrics.Analytics());
        var planner = new RegionPlanner(regions.RegionSide, 3, 8, TimeSpan.FromHours(1));
        var planned = new PixelRegion[3];
        Assert.Equal(1, planner.Plan(image.Width, image.Height, [person.Box], planned));
        var found = regions.Detect(image.Pixels, image.Width, image.Height, planned.AsSpan(0, 1)).ToArray();
        output.WriteLine($"region {planned[0]}: {string.Join(", ", found.Select(d => $"{d.Box} {d.Score:0.00}"))}");
        var match = Assert.Single(found, d => d.Box.IntersectionOverUnion(person.Box) >= 0.8);
        Assert.InRange(match.Score, person.Score - 0.15f, 1f);

        // A region whose right edge, away from the frame's, cuts off the right sixth of the person: what the model sees
        // there is most of a person, which is not to be reported as one beside where the whole one is.
        var edge = (int)(person.Box.X1 + 0.85f * person.Box.Width);
        var cut = new PixelRegion(0, 0, edge, image.Height);
        var inCut = regions.Detect(image.Pixels, image.Width, image.Height, [cut]).ToArray();
        output.WriteLine($"cut region {cut}: {string.Join(", ", inCut.Select(d => $"{d.Box} {d.Score:0.00}"))}");
        Assert.DoesNotContain(inCut, d => d.Box.IntersectionOverUnion(person.Box) > 0.2);
    }

    private static bool Inside(PixelRegion region, in BoundingBox box) =>
        box.X1 >= region.X && box.Y1 >= region.Y && box.X2 <= region.X + region.Width && box.Y2 <= region.Y + region.Height;

    private static void AssertInside(PixelRegion region, BoundingBox box) => Assert.True(Inside(region, box), $"{box} is not inside {region}");

    private static byte[] Resize(TestImages.BgrImage image, int width, int height)
    {
        using var source = OpenCvSharp.Mat.FromPixelData(image.Height, image.Width, OpenCvSharp.MatType.CV_8UC3, image.Pixels);
        using var resized = source.Resize(new OpenCvSharp.Size(width, height));
        return TestImages.ToBgr(resized).Pixels;
    }

    private static void Paint(byte[] frame, in BoundingBox box, byte[] texture)
    {
        for (var y = (int)box.Y1; y < (int)box.Y2; y++)
        {
            var row = (y - (int)box.Y1) % 90;
            Array.Copy(texture, row * 40 * 3, frame, (y * Width + (int)box.X1) * 3, 40 * 3);
        }
    }
}
