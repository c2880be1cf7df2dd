namespace Surveillance.Analytics.Evaluation;

/// <summary>
/// CLEAR-MOT and identity scores of results against ground truth, with the MOTChallenge conventions (see
/// <see cref="MotScorer"/>). Ratios are in [0, 1] (MOTA may be negative).
/// </summary>
/// <param name="Frames">Frames scored.</param>
/// <param name="TruthBoxes">Ground-truth boxes in the scored frames.</param>
/// <param name="ResultBoxes">Result boxes in the scored frames.</param>
/// <param name="Matches">Ground-truth boxes matched by a result box (true positives).</param>
/// <param name="IdSwitches">Matches of a ground-truth object to another result id than its last one.</param>
/// <param name="Fragmentations">Times an object's tracking broke off and was taken up again.</param>
/// <param name="Trajectories">Ground-truth objects seen in the scored frames.</param>
/// <param name="MostlyTracked">Objects matched in at least 80% of their frames.</param>
/// <param name="MostlyLost">Objects matched in less than 20% of their frames.</param>
/// <param name="Motp">Mean overlap (IoU) of the matched pairs.</param>
/// <param name="IdTruePositives">Boxes matched under the best one-to-one pairing of result ids with object ids, over the whole sequence.</param>
public sealed record MotScore(
    int Frames,
    int TruthBoxes,
    int ResultBoxes,
    int Matches,
    int IdSwitches,
    int Fragmentations,
    int Trajectories,
    int MostlyTracked,
    int MostlyLost,
    double Motp,
    int IdTruePositives)
{
    public int Misses => TruthBoxes - Matches;

    public int FalsePositives => ResultBoxes - Matches;

    public int PartlyTracked => Trajectories - MostlyTracked - MostlyLost;

    public double Recall => TruthBoxes == 0 ? 0 : (double)Matches / TruthBoxes;

    public double Precision => ResultBoxes == 0 ? 0 : (double)Matches / ResultBoxes;

    /// <summary>1 − (misses + false positives + ID switches) / ground-truth boxes.</summary>
    public double Mota => TruthBoxes == 0 ? 0 : 1 - (double)(Misses + FalsePositives + IdSwitches) / TruthBoxes;

    /// <summary>2 · IDTP / (ground-truth boxes + result boxes).</summary>
    public double Idf1 => TruthBoxes + ResultBoxes == 0 ? 0 : 2.0 * IdTruePositives / (TruthBoxes + ResultBoxes);
}
