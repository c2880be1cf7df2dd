namespace Surveillance.Ownership.Run;

/// <summary>
/// What became of one node's cameras after it failed: per camera, seconds from the failure to its start on another
/// node (null: not within the bound), when the first survivor saw the node dead, and what the survivors did meanwhile.
/// </summary>
public sealed record Takeover(
    string Node,
    IReadOnlyList<string> Cameras,
    IReadOnlyList<double?> StartedElsewhere,
    double? FirstSawDead,
    IReadOnlyList<OwnershipEvent> SurvivorStops,
    IReadOnlyList<double?> SurvivorOutages,
    IReadOnlyList<Duplicate> Duplicates)
{
    /// <summary>The longest a survivor's camera was stopped before it started again (null: one did not, or none stopped).</summary>
    public double? LongestSurvivorOutage => SurvivorOutages.Count == 0 || SurvivorOutages.Any(o => o is null) ? null : SurvivorOutages.Max();

    public int Restarted => StartedElsewhere.Count(s => s is not null);

    public double? Median => Stats.Median([.. StartedElsewhere.OfType<double>()]);

    public double? Last => Restarted == Cameras.Count && Cameras.Count > 0 ? StartedElsewhere.Max() : null;
}

/// <summary>A kill: the takeover, then a replacement node joining and how many cameras moved to it.</summary>
public sealed record KillRow(int Index, string Before, Takeover Takeover, string Joiner, int MovedToJoiner, string After);

/// <summary>
/// The freeze: the takeover while the node is stopped, then what it did once continued: per camera, how long it ran
/// there beside the survivor that had taken it; its own stops; when it learnt it was declared dead; how it ended.
/// </summary>
public sealed record FreezeRow(
    Takeover Takeover,
    double FrozenFor,
    IReadOnlyList<(string Camera, double? Seconds)> DuplicateOwnership,
    IReadOnlyList<OwnershipEvent> OwnStops,
    OwnershipEvent? Fatal,
    double? ExitAfterContinue,
    int? ExitCode,
    IReadOnlyList<OwnershipEvent> EventsAfterContinue,
    long Continued);

/// <summary>The drain (SIGTERM): the takeover, the node's own stops and reasons, and how long it took to exit.</summary>
public sealed record DrainRow(Takeover Takeover, IReadOnlyList<OwnershipEvent> OwnStops, double? ExitAfterTerm, int? ExitCode);

public static class Stats
{
    public static double? Median(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
