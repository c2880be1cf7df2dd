using System.Diagnostics;

namespace Surveillance.Ownership.Run;

/// <summary>
/// Every process the run started, killed when the run ends however it ends (done, failed, Ctrl+C, SIGTERM), a
/// frozen one included: SIGKILL needs no SIGCONT.
/// </summary>
public sealed class ChildProcesses : IDisposable
{
    private readonly Lock gate = new();
    private readonly List<Process> children = [];

    public ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

    public void Add(Process process)
    {
        lock (gate)
            children.Add(process);
    }

    public void KillAll()
    {
        List<Process> all;
        lock (gate)
            all = [.. children];
        foreach (var p in all)
        {
            try
            {
                if (!p.HasExited)
                    p.Kill();
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
    }

    public void Dispose()
    {
        KillAll();
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        lock (gate)
        {
            foreach (var p in children)
                p.Dispose();
            children.Clear();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => KillAll();
}
