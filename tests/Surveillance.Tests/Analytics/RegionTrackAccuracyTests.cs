using System.Globalization;
using System.Text.RegularExpressions;
using Surveillance.Analytics.Evaluation;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// The <c>track</c> command on MOT15 TUD-Stadtmitte with <c>Detector:Regions</c> on and off, scored against the ground
/// truth: most frames are detected in regions, and recall and MOTA stay within 2 points of the whole-frame path.
/// </summary>
public sealed partial class RegionTrackAccuracyTests
{
    private const string Sequence = "TUD-Stadtmitte";

    private static string Video => Path.Combine(RepoPaths.Media, "mot15", Sequence, Sequence + ".mp4");

    private static IReadOnlyList<MotBox> Truth { get; } = MotFile.Read(Path.Combine(RepoPaths.Media, "mot15", Sequence, "gt", "gt.txt"));

    [Fact]
    public async Task At_the_full_rate_regions_detect_most_frames_within_two_points_of_the_whole_frames_recall_and_mota()
    {
        var whole = await TrackAsync("false");
        var regions = await TrackAsync("true");
        var wholeScore = MotScorer.Score(Truth, whole.Tracks);
        var regionScore = MotScorer.Score(Truth, regions.Tracks);

        // Measured: whole frame recall 0.880, MOTA 0.742; regions (114 of 179 frames in 282 regions) recall 0.877,
        // MOTA 0.738. Before boxes cut by a region's inner edge were dropped: precision 0.831, MOTA 0.683.
        Assert.Equal(0, whole.InRegions);
        Assert.True(regions.InRegions >= 90, $"{regions.InRegions} of 179 frames detected in regions");
        Assert.InRange(regionScore.Recall, wholeScore.Recall - 0.02, 1);
        Assert.InRange(regionScore.Mota, wholeScore.Mota - 0.02, 1);
        Assert.All(regions.Tracks, box =>
        {
            Assert.True(box.Id > 0, MotFile.Line(box));
            Assert.InRange(box.Frame, 1, 179);
            Assert.True(box.Width > 0 && box.Height > 0, MotFile.Line(box));
        });
    }

    private static async Task<(IReadOnlyList<MotBox> Tracks, int InRegions)> TrackAsync(string regions)
    {
        var directory = Directory.CreateTempSubdirectory("track-regions-").FullName;
        try
        {
            var output = Path.Combine(directory, "tracks.txt");
            var run = await HostCommand.RunAsync(RepoPaths.Root, TimeSpan.FromMinutes(5),
                ["track", "--input", Video, "--output", output, $"--Detector:Regions={regions}"]);
            Assert.True(run.ExitCode == 0, $"track exited with {run.ExitCode}: {run.Stderr}");
            var inRegions = InRegions().Match(run.Stdout) is { Success: true } match ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
            return (MotFile.Read(output), inRegions);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [GeneratedRegex(@", (\d+) of them in \d+ region\(s\)")]
    private static partial Regex InRegions();
}
