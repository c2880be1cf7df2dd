namespace Surveillance.Tests.Fixtures;

/// <summary>What the kernel says about processes, read from /proc.</summary>
public static class ProcessTable
{
    /// <summary>Ids of live (not zombie) processes named <paramref name="name"/> whose parent is this test process.</summary>
    public static IReadOnlyList<int> ChildrenNamed(string name) => ChildrenNamed(name, Environment.ProcessId);

    /// <summary>Ids of live (not zombie) processes named <paramref name="name"/> whose parent is <paramref name="parent"/>.</summary>
    public static IReadOnlyList<int> ChildrenNamed(string name, int parent)
    {
        var self = parent;
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            // Format: pid (comm) state ppid ...; comm may contain spaces, so split after the last ')'.
            var open = stat.IndexOf('(');
            var close = stat.LastIndexOf(')');
            var comm = stat[(open + 1)..close];
            var fields = stat[(close + 2)..].Split(' ');
            if (comm == name && fields[0] != "Z" && int.Parse(fields[1]) == self)
                found.Add(pid);
        }
        return found;
    }

    /// <summary>Waits (bounded) until no such child is left, and returns those still there.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilNoChildrenNamedAsync(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = ChildrenNamed(name);
            if (left.Count == 0 || DateTime.UtcNow > deadline)
                return left;
            await Task.Delay(100);
        }
    }

    /// <summary>The process's arguments, joined by spaces; empty when it has gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Resident memory, threads and open file descriptors of a process, as the kernel counts them now.</summary>
    public static (long ResidentBytes, int Threads, int OpenFiles) Resources(int pid)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = long.Parse(Fields(line)[1]) * 1024;
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                threads = int.Parse(Fields(line)[1]);
        }
        return (rss, threads, Directory.GetFiles($"/proc/{pid}/fd").Length);

        static string[] Fields(string line) => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
    }
}
