using System.Globalization;
using System.Text;
using Surveillance.Ownership.Node;

namespace Surveillance.Ownership.Run;

/// <summary>The run as Markdown, for benchmarks/results/cluster: settings, a row per kill, the freeze, the drain.</summary>
public static partial class ResultsReport
{
    public static string Markdown(RunResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var s = r.Settings;
        var b = new StringBuilder();
        void L(string line = "") => b.Append(line).Append('\n');
        string F(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        static string S(double? v) => Orchestrator.S(v);

        L(F($"# A grain per camera: kill, freeze, drain ({r.Started:yyyy-MM-dd HH:mm} UTC)"));
        L();
        L("Each camera is an Orleans grain (string key = camera id) whose activation stands for the camera's pipeline; " +
          "`dotnet run -c Release --project benchmarks/Surveillance.Ownership -- run`. Times are from the signal to the " +
          "camera's `start` on another node, as the nodes wrote them on one clock.");
        L();
        L("## Settings");
        L();
        L(F($"- {s.Nodes} nodes (real processes, one silo each on 127.0.0.1), {s.Cameras} cameras; Orleans 10.4.2, Redis clustering (redis-server, nothing saved)"));
        L(F($"- failure detection as the engine's (`FailureDetection.Configure`): ProbeTimeout {s.Cluster.ProbeTimeout.TotalSeconds:0.###} s, MissedProbesLimit {s.Cluster.MissedProbesLimit}, connection liveness check off"));
        L(F($"- keeper on every node: every camera's grain called every {s.CheckInterval.TotalSeconds:0.###} s, in parallel, each call bounded by {s.CallTimeout.TotalSeconds:0.###} s (also Orleans' ResponseTimeout){(s.KeeperOnce ? "; **broken on purpose (--keeper-once): each camera called until it answers once, then never again**" : "")}"));
        var placement = s.Placement == Placements.OrleansDefault ? "Orleans' default" : "`" + s.Placement + "`";
        L(F($"- placement: {placement}; as the nodes reported it: {r.NodeReport}"));
        L("- idle collection off (`[CollectionAgeLimit(AlwaysActive = true)]`); a node told it is dead fails fast, as Orleans' own handler does");
        L(F($"- windows: survivors' stops counted {s.SurvivorWindow.TotalSeconds:0} s after each failure; a camera not started elsewhere within {s.RestartBound.TotalSeconds:0} s counts as not restarted; moves to a joining node counted {s.JoinWindow.TotalSeconds:0} s after it is ready; freeze {s.Freeze.TotalSeconds:0} s"));
        L(F($"- machine: {Environment.ProcessorCount} cores, load average {LoadAverage()} at the end; run took {(r.Ended - r.Started).TotalMinutes:0.0} min"));
        L(F($"- at the start: {r.Initial}"));
        L();
        L("## Kills (SIGKILL of the node holding the most cameras, then a new node joins)");
        L();
        L("| kill | cameras | first survivor saw it dead | started elsewhere: median | last | not restarted | survivors' stops (20 s) | longest out | duplicates | moved to the joining node (30 s) | after |");
        L("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var k in r.Kills)
        {
            var t = k.Takeover;
            L(F($"| {k.Index} | {t.Cameras.Count} | {S(t.FirstSawDead)} | {S(t.Median)} | {S(t.Last)} | {t.Cameras.Count - t.Restarted} | {t.SurvivorStops.Count} | {S(t.LongestSurvivorOutage)} | {t.Duplicates.Count} | {k.MovedToJoiner} ({k.Joiner}) | {k.After} |"));
        }
        var all = r.Kills.SelectMany(k => k.Takeover.StartedElsewhere.OfType<double>()).ToList();
        var lasts = r.Kills.Select(k => k.Takeover.Last).ToList();
        L();
        L(F($"Over the {r.Kills.Count} kills: {all.Count} of {r.Kills.Sum(k => k.Takeover.Cameras.Count)} cameras started elsewhere, median {S(Stats.Median(all))}, ") +
            F($"largest {S(all.Count == 0 ? null : all.Max())}; kill → last camera started elsewhere: median {S(Stats.Median([.. lasts.OfType<double>()]))}, ") +
            F($"max {S(lasts.Any(l => l is null) || lasts.Count == 0 ? null : lasts.Max())}; survivors' stops {r.Kills.Sum(k => k.Takeover.SurvivorStops.Count)}; ") +
            F($"duplicates {r.Kills.Sum(k => k.Takeover.Duplicates.Count)}; cameras moved to a joining node {r.Kills.Sum(k => k.MovedToJoiner)}."));
        var reasons = r.Kills.SelectMany(k => k.Takeover.SurvivorStops).Select(e => Reason(e.Reason)).GroupBy(x => x).ToList();
        if (reasons.Count > 0)
            L(F($"Survivors' stops, by reason: {string.Join("; ", reasons.Select(g => $"{g.Count()} × {g.Key}"))}"));
        var movedAway = r.Kills.Sum(k => MovedAway(k.Takeover, r.Events));
        if (reasons.Count > 0)
            L(F($"Of the survivors' cameras so stopped, {movedAway} started again on another node than the one they had run on."));

        var f = r.Freeze;
        var ft = f.Takeover;
        L();
        L(F($"## Freeze (SIGSTOP for {f.FrozenFor:0} s, then SIGCONT)"));
        L();
        L("| cameras | first survivor saw it dead | started elsewhere: median | last | not restarted | survivors' stops | longest out | duplicates | held on both nodes (per camera) |");
        L("|---|---|---|---|---|---|---|---|---|");
        L(F($"| {ft.Cameras.Count} | {S(ft.FirstSawDead)} | {S(ft.Median)} | {S(ft.Last)} | {ft.Cameras.Count - ft.Restarted} | {ft.SurvivorStops.Count} | {S(ft.LongestSurvivorOutage)} | {ft.Duplicates.Count} | {string.Join(", ", f.DuplicateOwnership.Select(d => S(d.Seconds)))} |"));
        L();
        L("Duplicate ownership is measured from the survivor's `start` to the frozen node's `stop` of that camera or its exit " +
          "(it could not run anything while stopped, but it held the activations, and woke up holding them).");
        if (ft.SurvivorStops.Count > 0)
            L(F($"Survivors' stops, by reason: {string.Join("; ", ft.SurvivorStops.Select(e => Reason(e.Reason)).GroupBy(x => x).Select(g => $"{g.Count()} × {g.Key}"))}"));
        L(F($"After SIGCONT the frozen node: {FrozenStory(f)}."));

        var d = r.Drain;
        var dt = d.Takeover;
        L();
        L("## Drain (SIGTERM)");
        L();
        L("| cameras | started elsewhere: median | last | not restarted | survivors' stops (20 s) | longest out | duplicates | node's own stops | exit |");
        L("|---|---|---|---|---|---|---|---|---|");
        L(F($"| {dt.Cameras.Count} | {S(dt.Median)} | {S(dt.Last)} | {dt.Cameras.Count - dt.Restarted} | {dt.SurvivorStops.Count} | {S(dt.LongestSurvivorOutage)} | {dt.Duplicates.Count} | {d.OwnStops.Count} | {(d.ExitAfterTerm is { } x ? $"code {d.ExitCode} after {x:0.0} s" : "none within 40 s")} |"));
        var drainReasons = d.OwnStops.Select(e => Reason(e.Reason)).GroupBy(x => x).Select(g => $"{g.Count()} × {g.Key}").ToList();
        if (drainReasons.Count > 0)
            L(F($"The draining node's stops, by reason: {string.Join("; ", drainReasons)}"));
        return b.ToString();
    }

    /// <summary>Orleans' reason without the silo's address and generation, which differ on every run.</summary>
    private static string Reason(string? reason) =>
        SiloAddress().Replace(reason ?? "", "the dead silo").TrimEnd('.') + ".";

    private static string FirstSentences(string? detail)
    {
        var text = detail ?? "";
        var cut = text.IndexOf(" Membership:", StringComparison.Ordinal);
        return cut > 0 ? text[..cut] : text;
    }

    private static int MovedAway(Takeover t, IReadOnlyList<OwnershipEvent> events) =>
        t.SurvivorStops.Count(stop => events.Where(e => e.Event == "start" && e.Camera == stop.Camera && e.T >= stop.T)
            .OrderBy(e => e.T).FirstOrDefault() is { } next && next.Node != stop.Node);

    [System.Text.RegularExpressions.GeneratedRegex(@"server S\d+\.\d+\.\d+\.\d+:\d+:\d+")]
    private static partial System.Text.RegularExpressions.Regex SiloAddress();

    private static string FrozenStory(FreezeRow f)
    {
        var parts = new List<string>();
        var ci = CultureInfo.InvariantCulture;
        var before = f.EventsAfterContinue.Where(e => e.Event == "start").ToList();
        if (before.Count > 0)
            parts.Add(string.Create(ci, $"started {before.Count} camera(s) ({string.Join(", ", before.Select(e => e.Camera))})"));
        if (f.OwnStops.Count > 0)
            parts.Add(string.Create(ci, $"stopped {f.OwnStops.Count} camera(s) ({string.Join("; ", f.OwnStops.Select(e => e.Reason).Distinct())}), the first {(f.OwnStops.Min(e => e.T) - f.Continued) / 1000.0:0.0} s after SIGCONT"));
        else
            parts.Add("stopped none of its cameras (no `stop` line)");
        parts.Add(f.Fatal is { } fatal
            ? string.Create(ci, $"was told it was declared dead {(fatal.T - f.Continued) / 1000.0:0.0} s after SIGCONT (\"{FirstSentences(fatal.Detail)}\")")
            : "wrote no fatal line");
        parts.Add(f.ExitAfterContinue is { } x ? string.Create(ci, $"exited with code {f.ExitCode} {x:0.0} s after SIGCONT") : "had not exited 50 s after SIGCONT (killed)");
        return string.Join("; ", parts);
    }

    /// <summary>The 1-minute load average the run ends with (other work on the machine shifts the timings).</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
