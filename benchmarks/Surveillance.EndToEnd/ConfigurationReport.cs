namespace Surveillance.EndToEnd;

/// <summary>
/// One <see cref="DetectionConfiguration"/> in the report: what a camera costs with it (the median of its rounds), the
/// cameras per core that follow, and its accuracy on the MOT15 sequences, each beside its ratio (costs) or difference
/// (accuracy) to the whole-frame path measured in the same run. The ratio is the median of the rounds' ratios, each
/// round's cost against the whole frame of the same round; the lowest and highest of them are beside it.
/// </summary>
public sealed record ConfigurationReport(
    string Name,
    string Model,
    bool Regions,
    double CpuSecondsPerCameraMinute,
    double CamerasPerCore,
    double CamerasPerCoreRatio,
    double CamerasPerCoreRatioLowest,
    double CamerasPerCoreRatioHighest,
    IReadOnlyList<double> CpuSecondsPerCameraMinuteByRound,
    double RegionsPerAnalysedFrame,
    IReadOnlyList<ConfigurationReport.Accuracy> AccuracyFigures)
{
    /// <summary>One sequence at one rate, with the differences to the whole-frame path (in points of 0..1, so 0.02 is 2 points).</summary>
    public sealed record Accuracy(string Sequence, int Fps, double Recall, double Precision, double Mota, double Idf1, double RecallDelta, double MotaDelta);

    public static IReadOnlyList<ConfigurationReport> Create(
        IReadOnlyList<(DetectionConfiguration Configuration, string Model, CameraCost.Result Cost, IReadOnlyList<TrackAccuracy.Figures> Accuracy)> runs)
    {
        var baseline = runs.Single(r => r.Configuration == DetectionConfiguration.WholeFrame);
        return [.. runs.Select(run =>
        {
            // Cameras per core go as the inverse of the cost: the whole frame's cost over this one's, round by round.
            var ratios = run.Cost.Samples.Zip(baseline.Cost.Samples, (s, b) => b.CpuSecondsPerCameraMinute / s.CpuSecondsPerCameraMinute).ToArray();
            return new ConfigurationReport(
                run.Configuration.Name,
                run.Model,
                run.Configuration.Regions,
                Math.Round(run.Cost.CpuSecondsPerCameraMinute, 2),
                Math.Round(run.Cost.CamerasPerCore, 2),
                Math.Round(CameraCost.Median(ratios), 3),
                Math.Round(ratios.Min(), 3),
                Math.Round(ratios.Max(), 3),
                [.. run.Cost.Samples.Select(s => Math.Round(s.CpuSecondsPerCameraMinute, 2))],
                Math.Round(run.Cost.RegionsPerAnalysedFrame, 2),
                [.. run.Accuracy.Select(a =>
                {
                    var whole = baseline.Accuracy.Single(b => b.Sequence == a.Sequence && b.Fps == a.Fps);
                    return new Accuracy(a.Sequence, a.Fps, Math.Round(a.Recall, 3), Math.Round(a.Precision, 3), Math.Round(a.Mota, 3), Math.Round(a.Idf1, 3),
                        Math.Round(a.Recall - whole.Recall, 3), Math.Round(a.Mota - whole.Mota, 3));
                })]);
        })];
    }
}
