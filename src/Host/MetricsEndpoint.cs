using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Surveillance.Host.Configuration;

namespace Surveillance.Host;

/// <summary>Serves every metric of the engine for Prometheus at <c>http://{Metrics:Host}:{Metrics:Port}/metrics</c>.</summary>
public sealed partial class MetricsEndpoint(IOptions<MetricsOptions> options, ILogger<MetricsEndpoint> logger) : IHostedService
{
    private IMetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            _server = new MetricServer(settings.Host, settings.Port).Start();
        }
        catch (HttpListenerException e)
        {
            throw new InvalidOperationException($"Metrics:Port: cannot listen on {settings.Host}:{settings.Port} ({e.Message})", e);
        }
        LogListening(settings.Host, settings.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
            await _server.StopAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics at http://{Host}:{Port}/metrics")]
    private partial void LogListening(string host, int port);
}
