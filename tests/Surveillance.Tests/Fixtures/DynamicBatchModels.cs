using System.Diagnostics;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Copies of the shipped models with a dynamic batch dimension, made by the project's own tool
/// (tools/dynamic_batch.py, which needs Debian's python3-onnx), once per test run.
/// </summary>
public static class DynamicBatchModels
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "surveillance-test-models");

    public static string Of(string model)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, Path.GetFileNameWithoutExtension(model) + "-dynamic.onnx");
        if (File.Exists(target) && File.GetLastWriteTimeUtc(target) > File.GetLastWriteTimeUtc(model))
            return target;

        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tools", "dynamic_batch.py"));
        start.ArgumentList.Add(model);
        start.ArgumentList.Add(target + ".tmp");
        using var tool = Process.Start(start)!;
        var output = tool.StandardOutput.ReadToEndAsync();
        var errors = tool.StandardError.ReadToEnd();
        if (!tool.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            tool.Kill();
            throw new TimeoutException("tools/dynamic_batch.py did not finish in 2 minutes.");
        }
        if (tool.ExitCode != 0)
            throw new InvalidOperationException($"tools/dynamic_batch.py failed ({tool.ExitCode}): {errors}{output.Result}");
        File.Move(target + ".tmp", target, overwrite: true);
        return target;
    }
}
