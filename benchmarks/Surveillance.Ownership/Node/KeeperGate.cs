namespace Surveillance.Ownership.Node;

/// <summary>
/// Holds the keeper until the orchestrator says <c>keep</c> on stdin: the first nodes start together, so that where
/// cameras land is the placement strategy's choice and not which node happened to start first.
/// </summary>
public sealed class KeeperGate
{
    private readonly TaskCompletionSource opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => opened.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => opened.Task.WaitAsync(cancellationToken);
}
