using System.Globalization;

namespace Surveillance.EndToEnd;

/// <summary>CPU time and resident memory of processes, read from /proc (Linux).</summary>
public static class ProcessStats
{
    private const double TicksPerSecond = 100; // USER_HZ, fixed at 100 on Linux's ABI

    /// <summary>User + system CPU seconds the process has used so far; 0 once it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        return fields is null ? 0 : (Tick(fields[11]) + Tick(fields[12])) / TicksPerSecond;
    }

    /// <summary>CPU seconds of this process's threads named <paramref name="name"/> (the OS keeps 15 characters of a name).</summary>
    public static double ThreadCpuSeconds(string name)
    {
        var osName = name.Length > 15 ? name[..15] : name;
        var total = 0.0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') != osName)
                    continue;
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (Tick(fields[11]) + Tick(fields[12])) / TicksPerSecond;
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return total;
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
    public static IReadOnlyList<int> Children(int parentPid, string command)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (stat[(open + 1)..close] == command && int.Parse(fields[1], CultureInfo.InvariantCulture) == parentPid)
                    children.Add(pid);
            }
            catch (IOException)
            {
                // Gone between listing and reading.
            }
        }
        return children;
    }

    /// <summary>The fields after the command, so that index 0 is the state (field 3 of proc(5)).</summary>
    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Tick(string field) => long.Parse(field, CultureInfo.InvariantCulture);
}
