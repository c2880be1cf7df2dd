using System.Globalization;
using System.Runtime.InteropServices;

namespace Surveillance.EndToEnd;

/// <summary>CPU time and resident memory of processes, read from /proc (Linux).</summary>
public static partial class ProcessStats
{
    private const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux's ABI

    /// <summary>User + system CPU seconds the process has used so far; 0 once it is gone.</summary>
    public static double CpuSeconds(int pid) => Read($"/proc/{pid}/stat") is { } stat ? stat.CpuSeconds : 0;

    /// <summary>
    /// User + system CPU seconds of this process's children that have ended and been waited for, theirs and their own
    /// ended children's (getrusage(2), RUSAGE_CHILDREN): what a child cost, to the end, once it is gone.
    /// </summary>
    public static double EndedChildrenCpuSeconds()
    {
        // struct rusage on 64-bit Linux: ru_utime and ru_stime (seconds, microseconds), then 14 longs.
        var usage = new long[18];
        if (GetResourceUsage(ResourceUsageChildren, usage) != 0)
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    private const int ResourceUsageChildren = -1;

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetResourceUsage(int who, [Out] long[] usage);

    /// <summary>CPU seconds of this process's threads named <paramref name="name"/> (the OS keeps 15 characters of a name).</summary>
    public static double ThreadCpuSeconds(string name)
    {
        var osName = name.Length > 15 ? name[..15] : name;
        return Directory.EnumerateDirectories("/proc/self/task")
            .Select(task => Read(Path.Combine(task, "stat")))
            .Where(stat => stat?.Command == osName)
            .Sum(stat => stat!.CpuSeconds);
    }

    /// <summary>Resident memory in MiB; 0 once the process is gone.</summary>
    public static double RssMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>Processes whose parent is <paramref name="parentPid"/> and whose command is <paramref name="command"/>.</summary>
    public static IReadOnlyList<int> Children(int parentPid, string command) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Read($"/proc/{pid}/stat") is { } stat && stat.Command == command && stat.ParentPid == parentPid)];

    /// <summary>One line of proc(5)'s <c>stat</c>: the command (in parentheses, may hold spaces), then fields from the state on.</summary>
    private sealed record Stat(string Command, int ParentPid, double CpuSeconds);

    /// <returns>Null when the process or thread is gone.</returns>
    private static Stat? Read(string path)
    {
        string line;
        try
        {
            line = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        var open = line.IndexOf('(', StringComparison.Ordinal);
        var close = line.LastIndexOf(')');
        // Index 0 is the state (field 3); the parent is field 4, utime and stime fields 14 and 15.
        var fields = line[(close + 2)..].Split(' ');
        return new Stat(line[(open + 1)..close], int.Parse(fields[1], CultureInfo.InvariantCulture),
            (Tick(fields[11]) + Tick(fields[12])) / TicksPerSecond);
    }

    private static long Tick(string field) => long.Parse(field, CultureInfo.InvariantCulture);
}
