using System.Text;

namespace Surveillance.Ownership.Run;

/// <summary>
/// The raw lines of a run, outside the repository: every event line as it came (events.jsonl, the orchestrator's
/// own included) and each node's stderr (Orleans' warnings, the keeper's failed calls), to check the figures against.
/// </summary>
public sealed class RawLog : IDisposable
{
    private readonly Lock gate = new();
    private readonly StreamWriter events;
    private readonly Dictionary<string, StreamWriter> stderr = new(StringComparer.Ordinal);

    public RawLog(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        events = new StreamWriter(Path.Combine(folder, "events.jsonl"), append: false, Encoding.UTF8) { AutoFlush = true };
    }

    public string Folder { get; }

    public void Event(string line)
    {
        lock (gate)
            events.WriteLine(line);
    }

    public void Stderr(string node, string line)
    {
        lock (gate)
        {
            if (!stderr.TryGetValue(node, out var w))
                stderr[node] = w = new StreamWriter(Path.Combine(Folder, $"{node}.stderr"), append: false, Encoding.UTF8) { AutoFlush = true };
            w.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            events.Dispose();
            foreach (var w in stderr.Values)
                w.Dispose();
        }
    }
}
