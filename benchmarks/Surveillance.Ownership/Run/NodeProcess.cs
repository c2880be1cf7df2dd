using System.Diagnostics;
using System.Reflection;
using Surveillance.Ownership.Node;

namespace Surveillance.Ownership.Run;

/// <summary>
/// One node: this same program in its <c>node</c> role, as a child process. Its stdout lines go to the ledger, its
/// stderr to the run's raw folder; its end (killed, declared dead, drained) is recorded with its exit code.
/// </summary>
public sealed class NodeProcess
{
    private readonly Process process;

    private NodeProcess(string name, Process process, Task<int> exited)
    {
        Name = name;
        this.process = process;
        Exited = exited;
    }

    public string Name { get; }

    public int Pid => process.Id;

    /// <summary>Completes with the exit code when the process has ended and its output has been read.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public static NodeProcess Start(NodeSettings settings, Ledger ledger, RawLog raw, ChildProcesses children)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(children);
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program is running");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Under `dotnet Surveillance.Ownership.dll` the program is the dll, not the host.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in settings.ToArguments())
            start.ArgumentList.Add(a);
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{settings.Name} did not start");
        children.Add(process);
        ledger.Add(new OwnershipEvent(OwnershipEvent.Now(), settings.Name, process.Id, null, "spawn"));

        var name = settings.Name;
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                raw.Event(line);
                if (OwnershipEvent.TryParse(line) is { } e)
                    ledger.Add(e);
            }
        });
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
                raw.Stderr(name, line);
        });
        var readers = Task.WhenAll(stdout, stderr);
        var exited = Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            var t = OwnershipEvent.Now();
            await readers.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            ledger.Gone(name, t);
            ledger.Add(new OwnershipEvent(t, name, process.Id, null, "exit", Detail: $"code {process.ExitCode}"));
            return process.ExitCode;
        });
        return new NodeProcess(name, process, exited);
    }

    /// <summary>Lets the node's keeper start calling the cameras.</summary>
    public void Keep()
    {
        process.StandardInput.WriteLine("keep");
        process.StandardInput.Flush();
    }

    /// <summary>Sends the signal and records it, with its time, in the ledger; SIGKILL also ends the node's holdings at once.</summary>
    public long Signal(int signal, Ledger ledger, string what)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var t = OwnershipEvent.Now();
        Signals.Send(process.Id, signal);
        if (signal == Signals.Kill)
            ledger.Gone(Name, t);
        ledger.Add(new OwnershipEvent(t, Name, process.Id, null, what));
        return t;
    }

    public override string ToString() => $"{Name} (pid {Pid})";
}
