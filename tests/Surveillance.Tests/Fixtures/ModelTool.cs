using System.Diagnostics;
using System.Security.Cryptography;

namespace Surveillance.Tests.Fixtures;

/// <summary>The repository's model-rewriting scripts in tools/, run with Debian's python3 (which has python3-onnx), and the digests of what they write.</summary>
public static class ModelTool
{
    /// <summary>Runs tools/<paramref name="script"/> with <paramref name="arguments"/>; its standard error, then its standard output.</summary>
    public static (int ExitCode, string Text) Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tools", script));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var tool = Process.Start(start)!;
        var stdout = tool.StandardOutput.ReadToEndAsync();
        var stderr = tool.StandardError.ReadToEnd();
        if (!tool.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            tool.Kill();
            throw new TimeoutException($"tools/{script} did not finish in 2 minutes.");
        }
        return (tool.ExitCode, stderr + stdout.Result);
    }

    public static string Sha256(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(file));
    }
}
