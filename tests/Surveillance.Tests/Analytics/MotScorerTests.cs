using Surveillance.Analytics.Evaluation;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Analytics;

/// <summary>The MOTChallenge scorer on the MOT15 ground truth and on a case worked out by hand.</summary>
public sealed class MotScorerTests
{
    public static TheoryData<string> Sequences => new() { "TUD-Campus", "TUD-Stadtmitte" };

    private static IReadOnlyList<MotBox> Truth(string sequence) => MotFile.Read(Path.Combine(RepoPaths.Media, "mot15", sequence, "gt", "gt.txt"));

    [Theory]
    [MemberData(nameof(Sequences))]
    public void The_ground_truth_scored_against_itself_is_perfect_at_the_full_rate_and_at_every_fifth_frame(string sequence)
    {
        var truth = Truth(sequence);
        foreach (var frames in new[] { null, MotScorer.EveryNth(1, 5, truth.Max(b => b.Frame)) })
        {
            var score = MotScorer.Score(truth, truth, frames);
            Assert.Equal(frames?.Count ?? truth.Select(b => b.Frame).Distinct().Count(), score.Frames);
            Assert.Equal(1.0, score.Recall);
            Assert.Equal(1.0, score.Precision);
            Assert.Equal(1.0, score.Mota);
            Assert.Equal(1.0, score.Idf1);
            Assert.Equal(1.0, score.Motp, 9);
            Assert.Equal(0, score.IdSwitches);
            Assert.Equal(0, score.Fragmentations);
            Assert.Equal(score.Trajectories, score.MostlyTracked);
        }
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Boxes_shifted_by_half_their_width_are_not_matches(string sequence)
    {
        var truth = Truth(sequence);
        // IoU of a box with itself moved by half its width: (w/2 · h) / (3w/2 · h) = 1/3, under 0.5.
        var shifted = truth.Select(b => b with { Left = b.Left + b.Width / 2 }).ToList();

        var score = MotScorer.Score(truth, shifted);

        // No box matches its own object any more; what still matches is a box moved onto a neighbour walking beside it
        // (TUD-Campus has groups side by side), so recall is at most the share of shifted boxes that overlap another
        // person's box at 0.5.
        var ontoNeighbour = shifted.Count(s => truth.Any(t => t.Frame == s.Frame && t.Id != s.Id && t.IoU(s) >= 0.5));
        Assert.InRange(score.Recall, 0, (double)ontoNeighbour / truth.Count + 1e-9);
        Assert.InRange(score.Recall, 0, 0.2);
        Assert.Equal(score.Recall, score.Precision, 9);
        Assert.True(score.Mota < 0, $"MOTA {score.Mota}");
    }

    [Fact]
    public void A_small_case_worked_out_by_hand()
    {
        // Objects 1 and 2 over four frames (2 has left by frame 4). Result 11 follows object 1 throughout (a pixel off in
        // frame 1); result 12 has object 2 in frame 1, then loses it in frame 2, where a false box (13) appears; in frame 3
        // object 2 is found again, as result 14: an ID switch and a fragmentation.
        MotBox[] truth =
        [
            new(1, 1, 0, 0, 10, 10), new(1, 2, 100, 0, 10, 10),
            new(2, 1, 0, 0, 10, 10), new(2, 2, 100, 0, 10, 10),
            new(3, 1, 0, 0, 10, 10), new(3, 2, 100, 0, 10, 10),
            new(4, 1, 0, 0, 10, 10),
        ];
        MotBox[] results =
        [
            new(1, 11, 1, 0, 10, 10), new(1, 12, 100, 0, 10, 10),
            new(2, 11, 0, 0, 10, 10), new(2, 13, 50, 50, 10, 10),
            new(3, 11, 0, 0, 10, 10), new(3, 14, 100, 0, 10, 10),
            new(4, 11, 0, 0, 10, 10),
        ];

        var score = MotScorer.Score(truth, results);

        // 7 true boxes, 7 result boxes, 6 matches: 1 miss (object 2, frame 2), 1 false positive (13), 1 switch (12 → 14).
        Assert.Equal((7, 7, 6, 1, 1, 1), (score.TruthBoxes, score.ResultBoxes, score.Matches, score.Misses, score.FalsePositives, score.IdSwitches));
        Assert.Equal(1 - 3.0 / 7, score.Mota, 9);
        Assert.Equal(6.0 / 7, score.Recall, 9);
        Assert.Equal(6.0 / 7, score.Precision, 9);
        // Frame 1's pair overlaps 9·10 / (100 + 100 − 90) = 9/11; the five others exactly.
        Assert.Equal((5 + 9.0 / 11) / 6, score.Motp, 9);
        Assert.Equal(1, score.Fragmentations);
        // Object 1 matched 4 of 4 frames (mostly tracked), object 2 2 of 3 (partly).
        Assert.Equal((2, 1, 1, 0), (score.Trajectories, score.MostlyTracked, score.PartlyTracked, score.MostlyLost));
        // Best one-to-one pairing: 1↔11 (4 frames), 2↔12 or 2↔14 (1 frame): IDTP 5, IDF1 = 2·5 / (7 + 7).
        Assert.Equal(5, score.IdTruePositives);
        Assert.Equal(10.0 / 14, score.Idf1, 9);
    }

    [Fact]
    public void Raw_detections_without_ids_score_recall_and_precision_and_no_switches()
    {
        var truth = Truth("TUD-Campus");
        var detections = truth.Where((_, i) => i % 2 == 0).Select(b => b with { Id = -1 }).ToList();

        var score = MotScorer.Score(truth, detections);

        Assert.Equal(detections.Count, score.Matches);
        Assert.Equal(1.0, score.Precision);
        Assert.Equal((double)detections.Count / truth.Count, score.Recall, 9);
        Assert.Equal(0, score.IdSwitches);
        Assert.Equal(0, score.IdTruePositives);
    }

    [Fact]
    public void The_hungarian_algorithm_finds_the_least_total_cost_where_the_greedy_choice_does_not()
    {
        // Greedy takes the 0 (row 1, column 1) and ends at 0 + 3 + 3 = 6; the optimum is 1 + 2 + 2 = 5.
        double[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        Assert.Equal([1, 0, 2], HungarianAssignment.Solve(cost));

        // Rectangular: the surplus row or column stays unassigned.
        Assert.Equal([1, 0], HungarianAssignment.Solve(new double[,] { { 5, 1, 9 }, { 1, 5, 9 } }));
        Assert.Equal([1, -1, 0], HungarianAssignment.Solve(new double[,] { { 5, 1 }, { 9, 9 }, { 1, 5 } }));
    }

    [Fact]
    public void A_malformed_line_is_named_with_its_line_number()
    {
        var e = Assert.Throws<FormatException>(() => MotFile.Read(new StringReader("1,1,10,10,5,5,1,-1,-1,-1\n2,x,10,10,5,5,1\n"), "results.txt"));
        Assert.Contains("results.txt, line 2", e.Message, StringComparison.Ordinal);
    }
}
