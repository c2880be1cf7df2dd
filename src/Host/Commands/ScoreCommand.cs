using System.Globalization;
using Surveillance.Analytics.Evaluation;

namespace Surveillance.Host.Commands;

/// <summary>
/// <c>score --truth gt.txt --results result.txt [--every N]</c>: scores MOTChallenge results (the <c>track</c>
/// command's) against ground truth with <see cref="MotScorer"/> and prints the figures, one per line. With
/// <c>--every N</c> only frames 1, 1+N, 1+2N, … are scored: those a run at 1/N of the video's rate analysed.
/// </summary>
public static class ScoreCommand
{
    public const string Usage = "usage: Surveillance.Host score --truth <gt.txt> --results <result.txt> [--every <N>]";

    public const int Scored = 0;

    public const int Unusable = 2;

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        string? truthPath = null, resultsPath = null;
        var every = 1;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is not ("--truth" or "--results" or "--every"))
                return Fail(errors, $"unknown option '{arg}'");
            if (i + 1 >= args.Count)
                return Fail(errors, $"{arg} needs a value");
            var value = args[++i];
            switch (arg)
            {
                case "--truth":
                    truthPath = value;
                    break;
                case "--results":
                    resultsPath = value;
                    break;
                default:
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out every) || every < 1)
                        return Fail(errors, $"--every: '{value}' is not a whole number of 1 or more (5 scores frames 1, 6, 11, … of a run at a fifth of the rate)");
                    break;
            }
        }
        if (truthPath is null || resultsPath is null)
            return Fail(errors, truthPath is null ? "--truth is missing: name the ground-truth file (gt/gt.txt)" : "--results is missing: name the result file to score");

        IReadOnlyList<MotBox> truth, results;
        try
        {
            truth = MotFile.Read(truthPath);
            results = MotFile.Read(resultsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            errors.WriteLine(e.Message);
            return Unusable;
        }
        if (truth.Count == 0)
            return Fail(errors, $"--truth: '{truthPath}' holds no box");

        var frames = every == 1 ? null : MotScorer.EveryNth(1, every, truth.Max(b => b.Frame));
        var score = MotScorer.Score(truth, results, frames);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            frames {score.Frames}
            truth boxes {score.TruthBoxes}
            result boxes {score.ResultBoxes}
            recall {score.Recall:0.000}
            precision {score.Precision:0.000}
            MOTA {score.Mota:0.000}
            MOTP {score.Motp:0.000}
            IDF1 {score.Idf1:0.000}
            ID switches {score.IdSwitches}
            fragmentations {score.Fragmentations}
            mostly tracked {score.MostlyTracked} of {score.Trajectories}
            mostly lost {score.MostlyLost} of {score.Trajectories}
            """));
        return Scored;
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine(message);
        errors.WriteLine(Usage);
        return Unusable;
    }
}
