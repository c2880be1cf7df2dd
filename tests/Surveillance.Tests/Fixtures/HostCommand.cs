using System.Diagnostics;
using System.Text;

namespace Surveillance.Tests.Fixtures;

/// <summary>A command of the engine's own binary (<c>track</c>, <c>cameras import-csv</c>) run as a person runs it, in a process of its own.</summary>
public static class HostCommand
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll"), .. args])
            startInfo.ArgumentList.Add(argument);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
