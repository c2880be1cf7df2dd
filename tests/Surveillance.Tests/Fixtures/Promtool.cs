using System.Diagnostics;

namespace Surveillance.Tests.Fixtures;

/// <summary>Prometheus' own tool (Debian's <c>prometheus</c>, which ./test.sh installs), run to completion.</summary>
public static class Promtool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <c>promtool</c> with <paramref name="arguments"/>, writing <paramref name="input"/> to its standard input.</summary>
    /// <returns>Its exit code and what it wrote on stdout and stderr, trimmed.</returns>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? input = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var promtool = Process.Start(start)!;
        // It may write before it has read all of its input.
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        if (input is not null)
            await promtool.StandardInput.WriteAsync(input);
        promtool.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await promtool.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            promtool.Kill();
            throw new TimeoutException($"promtool {string.Join(' ', start.ArgumentList)} did not finish in {Timeout.TotalSeconds} s.");
        }
        return (promtool.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
