using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace Surveillance.Ownership.Node;

/// <summary>
/// Writes <c>saw-dead</c> when this node's membership view first marks a peer dead that it had seen alive: the time
/// failure detection took, apart from the time the keeper then took to bring the cameras back.
/// </summary>
public sealed class MembershipWatcher(IClusterMembershipService membership) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var alive = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                foreach (var member in snapshot.Members.Values)
                {
                    if (member.Status == SiloStatus.Dead)
                    {
                        if (alive.Remove(member.SiloAddress))
                            EventLine.Write("saw-dead", peer: member.Name);
                    }
                    else if (member.Status == SiloStatus.Active)
                    {
                        alive.Add(member.SiloAddress);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
