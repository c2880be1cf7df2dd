using Orleans.Runtime;

namespace Surveillance.Ownership.Node;

/// <summary>
/// Orleans' own answer to a fatal error (above all: this node learns the cluster declared it dead), which is to end
/// the process at once with <c>Environment.FailFast</c>, with one line first so that the run sees when and why.
/// No grain is deactivated on the way out: its cameras simply stop with the process.
/// </summary>
public sealed class DeclaredDeadLine : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        EventLine.Write("fatal", detail: context ?? exception?.Message ?? "(no reason given)");
        Environment.FailFast($"Fatal error from {sender}: {context}", exception);
    }
}
