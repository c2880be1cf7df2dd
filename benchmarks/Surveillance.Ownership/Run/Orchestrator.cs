using System.Globalization;

namespace Surveillance.Ownership.Run;

/// <summary>
/// The run: Redis, the first nodes, every camera active; then the kills (each followed by a node joining), one
/// freeze and one drain. Every wait is bounded; every child is killed when it ends, however it ends.
/// </summary>
public sealed class Orchestrator(RunSettings settings, Action<string> say)
{
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(40);
    private static readonly HashSet<string> OwnEvents = new(StringComparer.Ordinal) { "spawn", "kill", "sigstop", "sigcont", "sigterm", "exit" };

    private readonly Ledger ledger = new();
    private readonly List<NodeProcess> nodes = [];
    private ChildProcesses? children;
    private RawLog? raw;
    private RedisServer? redis;
    private string clusterId = "";

    public async Task<RunResult> RunAsync(DateTime started, RawLog rawLog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rawLog);
        raw = rawLog;
        using var processes = new ChildProcesses();
        children = processes;
        ledger.Recorded += e =>
        {
            if (OwnEvents.Contains(e.Event))
                rawLog.Event(e.ToJson());
        };
        try
        {
            redis = await RedisServer.StartAsync(processes, cancellationToken).ConfigureAwait(false);
            clusterId = string.Create(CultureInfo.InvariantCulture, $"grain-{started:yyyyMMddTHHmmss}");
            say($"redis-server on port {redis.Port}; starting {settings.Nodes} nodes");
            var first = Enumerable.Range(0, settings.Nodes).Select(_ => Spawn()).ToList();
            foreach (var n in first)
                await ReadyAsync(n, cancellationToken).ConfigureAwait(false);
            var ready = ledger.Events().First(e => e.Event == "ready");
            foreach (var n in first)
                n.Keep();
            if (!await ledger.WaitAsync(() => ledger.ActiveCameras() == settings.Cameras, TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false))
                throw new TimeoutException($"only {ledger.ActiveCameras()} of {settings.Cameras} cameras active 60 s after the keepers started");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            var initial = Distribution();
            say($"all {settings.Cameras} cameras active: {initial}");

            var kills = new List<KillRow>();
            for (var i = 1; i <= settings.Kills; i++)
                kills.Add(await KillAsync(i, cancellationToken).ConfigureAwait(false));
            var freeze = await FreezeAsync(cancellationToken).ConfigureAwait(false);
            var drain = await DrainAsync(cancellationToken).ConfigureAwait(false);
            return new RunResult(started, DateTime.UtcNow, settings, ready.Detail ?? "", initial, kills, freeze, drain, ledger.Events());
        }
        finally
        {
            processes.KillAll();
        }
    }

    private NodeProcess Spawn()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"n{nodes.Count + 1}");
        var node = NodeProcess.Start(settings.ForNode(name, redis!.Connection, clusterId), ledger, raw!, children!);
        nodes.Add(node);
        return node;
    }

    private async Task<OwnershipEvent> ReadyAsync(NodeProcess node, CancellationToken cancellationToken)
    {
        OwnershipEvent? Ready() => ledger.Events().FirstOrDefault(e => e.Event == "ready" && e.Node == node.Name);
        await ledger.WaitAsync(() => Ready() is not null || node.HasExited, ReadyBound, cancellationToken).ConfigureAwait(false);
        return Ready() ?? throw new InvalidOperationException(
            $"{node} was not ready within {ReadyBound.TotalSeconds} s{(node.HasExited ? " (it exited)" : "")}; see {node.Name}.stderr in the raw folder");
    }

    private async Task<NodeProcess> JoinAsync(CancellationToken cancellationToken)
    {
        var node = Spawn();
        await ReadyAsync(node, cancellationToken).ConfigureAwait(false);
        node.Keep();
        return node;
    }

    private IEnumerable<NodeProcess> Live() => nodes.Where(n => !n.HasExited && !ledger.IsGone(n.Name));

    private string Distribution() =>
        string.Join(", ", Live().Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Name} {ledger.CamerasOn(n.Name).Count}")));

    /// <summary>The live node with the most cameras (the lowest name among equals); another live node must remain.</summary>
    private NodeProcess Victim()
    {
        var live = Live().ToList();
        var victim = live.OrderByDescending(n => ledger.CamerasOn(n.Name).Count).ThenBy(n => nodes.IndexOf(n)).FirstOrDefault();
        if (victim is null || live.Count < 2 || ledger.CamerasOn(victim.Name).Count == 0)
            throw new InvalidOperationException($"no node with cameras to fail beside another live node ({Distribution()})");
        return victim;
    }

    private async Task<KillRow> KillAsync(int index, CancellationToken cancellationToken)
    {
        var before = Distribution();
        var victim = Victim();
        var cameras = ledger.CamerasOn(victim.Name);
        var t0 = victim.Signal(Signals.Kill, ledger, "kill");
        say($"kill {index}: SIGKILL {victim} holding {cameras.Count} cameras ({before})");
        var takeover = await TakeoverAsync(victim.Name, cameras, t0, settings.RestartBound, cancellationToken).ConfigureAwait(false);
        say($"kill {index}: {Describe(takeover)}");

        var joiner = await JoinAsync(cancellationToken).ConfigureAwait(false);
        var joined = ledger.Events().First(e => e.Event == "ready" && e.Node == joiner.Name).T;
        await Task.Delay(settings.JoinWindow, cancellationToken).ConfigureAwait(false);
        var moved = ledger.Events().Where(e => e.Event == "start" && e.Node == joiner.Name && e.T <= joined + Ms(settings.JoinWindow))
            .Select(e => e.Camera).Distinct().Count();
        var after = Distribution();
        say($"kill {index}: {joiner.Name} joined; {moved} camera(s) moved to it in {settings.JoinWindow.TotalSeconds} s ({after})");
        return new KillRow(index, before, takeover, joiner.Name, moved, after);
    }

    private async Task<FreezeRow> FreezeAsync(CancellationToken cancellationToken)
    {
        var victim = Victim();
        var cameras = ledger.CamerasOn(victim.Name);
        var t0 = victim.Signal(Signals.Stop, ledger, "sigstop");
        say($"freeze: SIGSTOP {victim} holding {cameras.Count} cameras for {settings.Freeze.TotalSeconds} s ({Distribution()})");
        var takeover = await TakeoverAsync(victim.Name, cameras, t0, settings.Freeze, cancellationToken).ConfigureAwait(false);
        var left = TimeSpan.FromMilliseconds(t0 + Ms(settings.Freeze) - OwnershipEvent.Now());
        if (left > TimeSpan.Zero)
            await Task.Delay(left, cancellationToken).ConfigureAwait(false);
        var continued = victim.Signal(Signals.Continue, ledger, "sigcont");
        say($"freeze: {Describe(takeover)}; SIGCONT");

        // Until the woken node has let go of its cameras: it stopped them, or it ended.
        await ledger.WaitAsync(() => victim.HasExited || ledger.CamerasOn(victim.Name).Count == 0, ExitBound, cancellationToken).ConfigureAwait(false);
        if (!victim.HasExited)
            await Task.WhenAny(victim.Exited, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)).ConfigureAwait(false);
        var events = ledger.Events();
        var after = events.Where(e => e.Node == victim.Name && e.T >= continued).ToList();
        var fatal = after.FirstOrDefault(e => e.Event == "fatal");
        var exit = after.FirstOrDefault(e => e.Event == "exit");
        var ownStops = after.Where(e => e.Event == "stop").ToList();
        var duplicates = ledger.Duplicates().Where(d => d.Holder == victim.Name && d.Since >= t0).ToList();
        var ownership = cameras.Select(c =>
        {
            var d = duplicates.FirstOrDefault(x => x.Camera == c);
            return (c, d?.Until is { } until ? (until - d.Since) / 1000.0 : (double?)null);
        }).ToList();
        say($"freeze: after SIGCONT {victim.Name} {(fatal is null ? "wrote no fatal line" : $"was told it is dead after {(fatal.T - continued) / 1000.0:0.0} s")}, " +
            $"stopped {ownStops.Count} camera(s), {(exit is null ? "still running" : $"exited ({exit.Detail}) after {(exit.T - continued) / 1000.0:0.0} s")}");
        if (!victim.HasExited)
        {
            victim.Signal(Signals.Kill, ledger, "kill");
            await victim.Exited.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        var row = new FreezeRow(takeover, settings.Freeze.TotalSeconds, ownership, ownStops, fatal,
            exit is null ? null : (exit.T - continued) / 1000.0, exit is null ? null : victim.Exited.Result, after, continued);
        var joiner = await JoinAsync(cancellationToken).ConfigureAwait(false);
        say($"freeze: {joiner.Name} joined ({Distribution()})");
        return row;
    }

    private async Task<DrainRow> DrainAsync(CancellationToken cancellationToken)
    {
        var victim = Victim();
        var cameras = ledger.CamerasOn(victim.Name);
        var t0 = victim.Signal(Signals.Terminate, ledger, "sigterm");
        say($"drain: SIGTERM {victim} holding {cameras.Count} cameras ({Distribution()})");
        var takeover = await TakeoverAsync(victim.Name, cameras, t0, settings.RestartBound, cancellationToken).ConfigureAwait(false);
        await Task.WhenAny(victim.Exited, Task.Delay(ExitBound, cancellationToken)).ConfigureAwait(false);
        var events = ledger.Events();
        var ownStops = events.Where(e => e.Node == victim.Name && e.Event == "stop" && e.T >= t0).ToList();
        var exit = events.FirstOrDefault(e => e.Node == victim.Name && e.Event == "exit");
        say($"drain: {Describe(takeover)}; {victim.Name} stopped {ownStops.Count} camera(s) and " +
            (exit is null ? "had not exited" : $"exited ({exit.Detail}) {(exit.T - t0) / 1000.0:0.0} s after SIGTERM"));
        return new DrainRow(takeover, ownStops, exit is null ? null : (exit.T - t0) / 1000.0, victim.HasExited ? victim.Exited.Result : null);
    }

    /// <summary>
    /// Waits (at most <paramref name="bound"/>) until each of the node's cameras has started on another node, then
    /// until the survivors' window has passed, and reads what happened from the failure on.
    /// </summary>
    private async Task<Takeover> TakeoverAsync(string node, IReadOnlyList<string> cameras, long t0, TimeSpan bound, CancellationToken cancellationToken)
    {
        long? StartedElsewhere(IReadOnlyList<OwnershipEvent> events, string camera) =>
            events.Where(e => e.Event == "start" && e.Camera == camera && e.Node != node && e.T >= t0).Select(e => (long?)e.T).Min();
        await ledger.WaitAsync(() => { var ev = ledger.Events(); return cameras.All(c => StartedElsewhere(ev, c) is not null); },
            bound, cancellationToken).ConfigureAwait(false);
        var windowEnd = t0 + Ms(settings.SurvivorWindow);
        var wait = TimeSpan.FromMilliseconds(windowEnd - OwnershipEvent.Now());
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);

        var events = ledger.Events();
        var started = cameras.Select(c => StartedElsewhere(events, c) is { } t && t - t0 <= Ms(bound) ? (t - t0) / 1000.0 : (double?)null).ToList();
        var sawDead = events.Where(e => e.Event == "saw-dead" && e.Peer == node && e.T >= t0).Select(e => (long?)e.T).Min();
        var survivorStops = events.Where(e => e.Event == "stop" && e.Node != node && e.T >= t0 && e.T <= windowEnd).ToList();
        // A survivor's camera that was stopped: how long until it ran again, anywhere.
        // Started on another node after the failure and before this stop: it was never out (that is a duplicate).
        var outages = survivorStops.Select(stop => events
            .Where(e => e.Event == "start" && e.Camera == stop.Camera && (e.T >= stop.T || (e.Node != stop.Node && e.T >= t0)))
            .Select(e => (double?)(Math.Max(0, e.T - stop.T) / 1000.0)).Min()).ToList();
        var duplicates = ledger.Duplicates().Where(d => d.Since >= t0 && d.Since <= windowEnd).ToList();
        return new Takeover(node, cameras, started, sawDead is null ? null : (sawDead.Value - t0) / 1000.0, survivorStops, outages, duplicates);
    }

    private static string Describe(Takeover t) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{t.Restarted}/{t.Cameras.Count} started elsewhere (median {S(t.Median)}, last {S(t.Last)}), first survivor saw it dead after {S(t.FirstSawDead)}, " +
            $"{t.SurvivorStops.Count} survivor stop(s) (longest out {S(t.LongestSurvivorOutage)}), {t.Duplicates.Count} duplicate(s)");

    internal static string S(double? seconds) => seconds is { } s ? s.ToString("0.0 s", CultureInfo.InvariantCulture) : "—";

    private static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;
}
