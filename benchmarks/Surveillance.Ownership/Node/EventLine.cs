namespace Surveillance.Ownership.Node;

/// <summary>Writes this node's events to stdout, one JSON line each, for the orchestrator; nothing else goes to stdout.</summary>
public static class EventLine
{
    private static readonly Lock Gate = new();

    public static string Node { get; set; } = "";

    public static void Write(string @event, string? camera = null, string? reason = null, string? peer = null, string? detail = null)
    {
        var line = new OwnershipEvent(OwnershipEvent.Now(), Node, Environment.ProcessId, camera, @event, reason, peer, detail).ToJson();
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
