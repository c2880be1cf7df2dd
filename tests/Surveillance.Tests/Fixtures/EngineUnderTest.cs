using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Surveillance.Host;

namespace Surveillance.Tests.Fixtures;

/// <summary>The real engine, built as the executable builds it, running inside the test process.</summary>
public sealed class EngineUnderTest : IAsyncDisposable
{
    private readonly IHost _host;

    private readonly TemporaryOutbox? _ownOutbox;

    private EngineUnderTest(IHost host, int metricsPort, TemporaryOutbox? ownOutbox)
    {
        _host = host;
        MetricsPort = metricsPort;
        _ownOutbox = ownOutbox;
    }

    public int MetricsPort { get; }

    /// <summary>The engine's own metrics, which no other engine in this process counts into.</summary>
    public CollectorRegistry Registry => _host.Services.GetRequiredService<CollectorRegistry>();

    /// <summary>The engine's services, for tests that look at one of its parts directly.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>
    /// Starts the engine with <paramref name="settings"/> on top of the shipped appsettings.json, the real
    /// model from the repository, a metrics port of its own, and an outbox of its own unless the settings name one.
    /// </summary>
    /// <param name="logs">Receives every log line as well, for tests that read what the engine said.</param>
    /// <param name="services">Registrations added after the engine's own, which take their place.</param>
    public static async Task<EngineUnderTest> StartAsync(IDictionary<string, string> settings, ILoggerProvider? logs = null,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Detector:Model"] = RepoPaths.YoloV5s,
            ["Cameras:0:Url"] = RepoPaths.VtestAvi,
            ["Metrics:Port"] = FreePort.Next().ToString(),
        };
        var ownOutbox = settings.ContainsKey("Outbox:Path") ? null : new TemporaryOutbox();
        if (ownOutbox is not null)
            all["Outbox:Path"] = ownOutbox.Path;
        foreach (var (key, value) in settings)
            all[key] = value;

        var builder = EngineHost.CreateBuilder([.. all.Select(kv => $"--{kv.Key}={kv.Value}")]);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            EngineHost.ValidateConfiguration(host.Services);
            await host.StartAsync();
        }
        catch
        {
            ownOutbox?.Dispose();
            throw;
        }
        return new EngineUnderTest(host, int.Parse(all["Metrics:Port"]), ownOutbox);
    }

    public async Task<string> ScrapeMetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetStringAsync($"http://127.0.0.1:{MetricsPort}/metrics");
    }

    /// <summary>What the engine's registry reads now; unlike a scrape, also once the engine has stopped.</summary>
    public Task<string> ExportMetricsAsync() => Exposition.OfAsync(Registry);

    public Task StopAsync() => _host.StopAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        _ownOutbox?.Dispose();
    }
}
