namespace Surveillance.Analytics.Evaluation;

/// <summary>
/// Scores tracker or detector results against MOTChallenge ground truth, as the MOTChallenge devkit and
/// py-motmetrics do: in each frame, an object keeps the result id it was matched to in the frame before if their
/// boxes still overlap enough; the rest are matched by the Hungarian algorithm on 1 − IoU, pairs under the IoU
/// threshold (0.5) never matched. A match to another id than the object's last one is an ID switch. IDF1 pairs
/// result ids with object ids once for the whole sequence. Ground-truth lines with confidence 0 are ignored
/// (MOTChallenge marks boxes not to be scored so). Results with id -1 (raw detections) have no identity: they score
/// recall, precision and MOTA without switches.
/// </summary>
public static class MotScorer
{
    public const double DefaultIoUThreshold = 0.5;

    /// <param name="frames">The frames to score (those the results were made for, e.g. every fifth); all when null.</param>
    public static MotScore Score(IReadOnlyList<MotBox> truth, IReadOnlyList<MotBox> results, IReadOnlySet<int>? frames = null,
        double iouThreshold = DefaultIoUThreshold)
    {
        var truthByFrame = ByFrame(truth.Where(b => b.Confidence != 0), frames);
        var resultsByFrame = ByFrame(results, frames);
        var scored = truthByFrame.Keys.Union(resultsByFrame.Keys).Order().ToList();

        var lastMatch = new Dictionary<int, int>();
        var framesPresent = new Dictionary<int, int>();
        var framesMatched = new Dictionary<int, int>();
        // Per object, whether it was matched in each of its frames, in order: for fragmentations.
        var history = new Dictionary<int, List<bool>>();
        int truthBoxes = 0, resultBoxes = 0, matches = 0, switches = 0;
        double overlap = 0;

        foreach (var frame in scored)
        {
            var objects = truthByFrame.GetValueOrDefault(frame, []);
            var hypotheses = resultsByFrame.GetValueOrDefault(frame, []);
            truthBoxes += objects.Count;
            resultBoxes += hypotheses.Count;
            var pairs = MatchFrame(objects, hypotheses, lastMatch, iouThreshold);

            var matchedObjects = new HashSet<int>();
            foreach (var (o, h) in pairs)
            {
                var obj = objects[o];
                var hyp = hypotheses[h];
                matches++;
                overlap += obj.IoU(hyp);
                matchedObjects.Add(o);
                if (hyp.Id >= 0)
                {
                    if (lastMatch.TryGetValue(obj.Id, out var previous) && previous != hyp.Id)
                        switches++;
                    lastMatch[obj.Id] = hyp.Id;
                }
            }
            for (var o = 0; o < objects.Count; o++)
            {
                var id = objects[o].Id;
                framesPresent[id] = framesPresent.GetValueOrDefault(id) + 1;
                var matched = matchedObjects.Contains(o);
                if (matched)
                    framesMatched[id] = framesMatched.GetValueOrDefault(id) + 1;
                if (!history.TryGetValue(id, out var seen))
                    history[id] = seen = [];
                seen.Add(matched);
            }
        }

        var mostlyTracked = 0;
        var mostlyLost = 0;
        foreach (var (id, present) in framesPresent)
        {
            var ratio = (double)framesMatched.GetValueOrDefault(id) / present;
            if (ratio >= 0.8)
                mostlyTracked++;
            else if (ratio < 0.2)
                mostlyLost++;
        }

        return new MotScore(scored.Count, truthBoxes, resultBoxes, matches, switches, history.Values.Sum(Fragmentations),
            framesPresent.Count, mostlyTracked, mostlyLost, matches == 0 ? 0 : overlap / matches,
            IdTruePositives(truthByFrame, resultsByFrame, iouThreshold));
    }

    /// <summary>Frames <paramref name="first"/>, first + step, … up to <paramref name="last"/>: what a tracker run at a lower rate analyses.</summary>
    public static IReadOnlySet<int> EveryNth(int first, int step, int last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        var frames = new HashSet<int>();
        for (var f = first; f <= last; f += step)
            frames.Add(f);
        return frames;
    }

    private static Dictionary<int, List<MotBox>> ByFrame(IEnumerable<MotBox> boxes, IReadOnlySet<int>? frames) =>
        boxes.Where(b => frames is null || frames.Contains(b.Frame)).GroupBy(b => b.Frame).ToDictionary(g => g.Key, g => g.ToList());

    /// <summary>Index pairs (object, hypothesis) matched in one frame.</summary>
    private static List<(int Object, int Hypothesis)> MatchFrame(List<MotBox> objects, List<MotBox> hypotheses,
        Dictionary<int, int> lastMatch, double iouThreshold)
    {
        var pairs = new List<(int, int)>();
        var objectTaken = new bool[objects.Count];
        var hypothesisTaken = new bool[hypotheses.Count];

        // An object keeps its last result id while their boxes still overlap enough (CLEAR-MOT).
        for (var o = 0; o < objects.Count; o++)
        {
            if (!lastMatch.TryGetValue(objects[o].Id, out var id))
                continue;
            for (var h = 0; h < hypotheses.Count; h++)
            {
                if (hypothesisTaken[h] || hypotheses[h].Id != id || objects[o].IoU(hypotheses[h]) < iouThreshold)
                    continue;
                pairs.Add((o, h));
                objectTaken[o] = hypothesisTaken[h] = true;
                break;
            }
        }

        var freeObjects = Enumerable.Range(0, objects.Count).Where(o => !objectTaken[o]).ToList();
        var freeHypotheses = Enumerable.Range(0, hypotheses.Count).Where(h => !hypothesisTaken[h]).ToList();
        if (freeObjects.Count == 0 || freeHypotheses.Count == 0)
            return pairs;
        // Pairs under the threshold cost more than any set of allowed pairs can, so the most allowed pairs win first.
        var forbidden = freeObjects.Count + freeHypotheses.Count + 1.0;
        var cost = new double[freeObjects.Count, freeHypotheses.Count];
        for (var i = 0; i < freeObjects.Count; i++)
        {
            for (var j = 0; j < freeHypotheses.Count; j++)
            {
                var iou = objects[freeObjects[i]].IoU(hypotheses[freeHypotheses[j]]);
                cost[i, j] = iou >= iouThreshold ? 1 - iou : forbidden;
            }
        }
        var assignment = HungarianAssignment.Solve(cost);
        for (var i = 0; i < assignment.Length; i++)
        {
            var j = assignment[i];
            if (j >= 0 && cost[i, j] < forbidden)
                pairs.Add((freeObjects[i], freeHypotheses[j]));
        }
        return pairs;
    }

    /// <summary>Times tracking broke off between an object's first and last matched frames (py-motmetrics' definition).</summary>
    private static int Fragmentations(List<bool> matched)
    {
        var first = matched.IndexOf(true);
        if (first < 0)
            return 0;
        var last = matched.LastIndexOf(true);
        var count = 0;
        for (var i = first + 1; i <= last; i++)
        {
            if (matched[i - 1] && !matched[i])
                count++;
        }
        return count;
    }

    /// <summary>
    /// IDTP: result ids and object ids paired one to one for the whole sequence so that the most boxes agree (IoU at the
    /// threshold) in the frames where both are present.
    /// </summary>
    private static int IdTruePositives(Dictionary<int, List<MotBox>> truth, Dictionary<int, List<MotBox>> results, double iouThreshold)
    {
        var objectIds = truth.Values.SelectMany(b => b).Select(b => b.Id).Distinct().ToList();
        var resultIds = results.Values.SelectMany(b => b).Where(b => b.Id >= 0).Select(b => b.Id).Distinct().ToList();
        if (objectIds.Count == 0 || resultIds.Count == 0)
            return 0;
        var objectIndex = objectIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var resultIndex = resultIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var agree = new int[objectIds.Count, resultIds.Count];
        foreach (var (frame, objects) in truth)
        {
            if (!results.TryGetValue(frame, out var hypotheses))
                continue;
            foreach (var obj in objects)
            {
                foreach (var hyp in hypotheses)
                {
                    if (hyp.Id >= 0 && obj.IoU(hyp) >= iouThreshold)
                        agree[objectIndex[obj.Id], resultIndex[hyp.Id]]++;
                }
            }
        }
        var cost = new double[objectIds.Count, resultIds.Count];
        for (var o = 0; o < objectIds.Count; o++)
            for (var r = 0; r < resultIds.Count; r++)
                cost[o, r] = -agree[o, r];
        var assignment = HungarianAssignment.Solve(cost);
        var total = 0;
        for (var o = 0; o < assignment.Length; o++)
        {
            if (assignment[o] >= 0)
                total += agree[o, assignment[o]];
        }
        return total;
    }
}
