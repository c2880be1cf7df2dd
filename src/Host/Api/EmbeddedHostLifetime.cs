using Microsoft.Extensions.Hosting;

namespace Surveillance.Host.Api;

/// <summary>
/// The lifetime of a web application that runs inside the engine's host: the engine starts and stops it, so it
/// neither listens for Ctrl+C and SIGTERM itself (which would close the endpoint before the engine has stopped)
/// nor prints the console lifetime's banner.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
