using System.Diagnostics;

namespace Surveillance.EndToEnd;

/// <summary>The engine's <c>track</c> command as a process of its own (the Release build of src/Host), and what it cost.</summary>
public static class TrackProcess
{
    /// <param name="CpuSeconds">Its CPU, its ffmpeg's included (children that ended are counted in their parent).</param>
    public sealed record Run(string Output, double CpuSeconds, double WallSeconds);

    /// <summary>Runs it to its end; only one at a time, as the CPU is read from this process's ended children.</summary>
    public static async Task<Run> RunAsync(string repoRoot, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var host = Path.Combine(repoRoot, "src", "Host", "bin", "Release", "net10.0", "Surveillance.Host.dll");
        if (!File.Exists(host))
            throw new FileNotFoundException($"Build the engine first (dotnet build src/Host -c Release): {host} is missing.");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(host);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        var cpuBefore = ProcessStats.EndedChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var track = Process.Start(start)!;
        var output = track.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = await track.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await track.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = ProcessStats.EndedChildrenCpuSeconds() - cpuBefore;
        if (track.ExitCode != 0)
            throw new InvalidOperationException($"track exited with {track.ExitCode}: {errors}{await output.ConfigureAwait(false)}");
        return new Run(await output.ConfigureAwait(false), cpu, wall);
    }
}
