using System.Globalization;
using Surveillance.Ownership.Node;
using Surveillance.Ownership.Run;

// dotnet run -c Release --project benchmarks/Surveillance.Ownership -- run [--kills 5] [--placement ...] [--keeper-once]
// The "node" role is the same program started by the orchestrator, one process per node.
var role = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
var rest = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[1..] : args;
try
{
    if (role == "node")
        return await NodeRole.RunAsync(NodeSettings.Parse(rest));
    if (role != "run")
        throw new ArgumentException($"unknown role '{role}': 'run' (the default) or 'node'");
    return await RunAsync(RunSettings.Parse(rest));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

static async Task<int> RunAsync(RunSettings settings)
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    void Say(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {line}"));
    var started = DateTime.UtcNow;
    var stamp = started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
    using var raw = new RawLog(Path.Combine(Path.GetTempPath(), $"surveillance-ownership-{stamp}"));
    Say($"raw lines: {raw.Folder}");
    try
    {
        var result = await new Orchestrator(settings, Say).RunAsync(started, raw, cancel.Token);
        var folder = Path.Combine(FindRepoRoot(), settings.Output);
        Directory.CreateDirectory(folder);
        var report = Path.Combine(folder, $"grain-per-camera-{stamp}.md");
        await File.WriteAllTextAsync(report, ResultsReport.Markdown(result), CancellationToken.None);
        Say($"written: {report}");
        return 0;
    }
    catch (OperationCanceledException) when (cancel.IsCancellationRequested)
    {
        Say("cancelled; every child was killed");
        return 130;
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException)
    {
        Say($"failed: {e.Message}");
        return 1;
    }
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Surveillance.sln")))
            return dir.FullName;
    }
    return Directory.GetCurrentDirectory();
}
