namespace Surveillance.Ownership.Node;

/// <summary>
/// Owns one camera's pipeline while it is active: activation is the pipeline's start, deactivation its stop. Never
/// collected for being idle: only a failure, a shutdown or Orleans' directory may end it.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class CameraGrain(NodeSettings node) : Grain, ICameraGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        EventLine.Write("start", this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        EventLine.Write("stop", this.GetPrimaryKeyString(), reason: $"{reason.ReasonCode}: {reason.Description}");
        return Task.CompletedTask;
    }

    public Task<string> Own() => Task.FromResult(node.Name);
}
