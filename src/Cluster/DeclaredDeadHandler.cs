using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Surveillance.Cluster;

/// <summary>
/// What a node does when Orleans reports a fatal error, above all that the cluster declared it dead (it was frozen or
/// cut off long enough for the others to take its cameras): it stops, as Orleans' default handler would, but through
/// the host rather than <c>Environment.FailFast</c>, so that its ffmpeg children are stopped and its log says why.
/// Whatever it still had for its cameras is refused by the shared store (fenced). The exit code says it (see
/// <see cref="ClusterStanding"/>), for the supervisor to restart it as a new member.
/// </summary>
public sealed partial class DeclaredDeadHandler(IHostApplicationLifetime lifetime, ClusterStanding standing, ILogger<DeclaredDeadHandler> logger)
    : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => true;

    public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null)
    {
        standing.DeclareDead();
        LogFatal(exception, context ?? "(no reason given)");
        lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The cluster stopped this node: {Context}. It stops now; its cameras run on the other nodes")]
    private partial void LogFatal(Exception? exception, string context);
}
