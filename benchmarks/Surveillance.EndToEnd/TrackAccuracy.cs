using System.Globalization;
using Surveillance.Analytics.Evaluation;

namespace Surveillance.EndToEnd;

/// <summary>
/// Accuracy of a <see cref="DetectionConfiguration"/> against MOTChallenge ground truth: the engine's own <c>track</c>
/// command on the two bundled MOT15 sequences, at the full rate and at 5 fps, scored with <see cref="MotScorer"/>.
/// </summary>
public static class TrackAccuracy
{
    public static readonly string[] Sequences = ["TUD-Campus", "TUD-Stadtmitte"];

    public static readonly int[] Rates = [25, 5];

    /// <summary>One sequence at one rate: what the README's accuracy table shows.</summary>
    public sealed record Figures(string Sequence, int Fps, double Recall, double Precision, double Mota, double Idf1);

    public static async Task<IReadOnlyList<Figures>> MeasureAsync(string repoRoot, DetectionConfiguration configuration, CancellationToken cancellationToken)
    {
        var figures = new List<Figures>();
        foreach (var sequence in Sequences)
        {
            var folder = Path.Combine(repoRoot, "media", "mot15", sequence);
            var truth = MotFile.Read(Path.Combine(folder, "gt", "gt.txt"));
            foreach (var fps in Rates)
            {
                var results = Path.Combine(Path.GetTempPath(), $"surveillance-bench-{Guid.NewGuid():N}.txt");
                try
                {
                    // The MOT15 sequences are 640x480: the shaped model for them is 640x480.
                    var settings = configuration.Settings(repoRoot, "models/yolov5s-640.onnx", 640, 480);
                    await TrackProcess.RunAsync(repoRoot, [
                        "track", "--input", Path.Combine(folder, sequence + ".mp4"), "--output", results,
                        "--fps", fps.ToString(CultureInfo.InvariantCulture),
                        .. settings.Select(s => $"--{s.Key}={s.Value}"),
                    ], cancellationToken).ConfigureAwait(false);
                    var every = 25 / fps;
                    var score = MotScorer.Score(truth, MotFile.Read(results), every == 1 ? null : MotScorer.EveryNth(1, every, truth.Max(b => b.Frame)));
                    figures.Add(new Figures(sequence, fps, score.Recall, score.Precision, score.Mota, score.Idf1));
                }
                finally
                {
                    File.Delete(results);
                }
            }
        }
        return figures;
    }
}
