using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;
using Surveillance.Host.Api;
using Surveillance.Host.Configuration;

namespace Surveillance.Tests.Fixtures;

/// <summary>The engine's real HTTP endpoint on a real socket, over just the services a test gives it instead of a whole engine.</summary>
public static class StandaloneHttpEndpoint
{
    /// <param name="services">Adds what the routes under test resolve from the engine (an ICameraControl, …); a registry of its own is there already.</param>
    public static HttpEndpoint Create(int port, Action<IServiceCollection>? services = null, IEnumerable<ApiToken>? tokens = null, ILoggerProvider? logs = null,
        CollectorRegistry? registry = null, bool anonymousReads = true)
    {
        var engine = new ServiceCollection();
        engine.AddSingleton(registry ?? Metrics.NewCustomRegistry());
        services?.Invoke(engine);
        ILoggerFactory loggerFactory = logs is null ? NullLoggerFactory.Instance : LoggerFactory.Create(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        return new HttpEndpoint(
            engine.BuildServiceProvider(),
            Options.Create(new MetricsOptions { Host = "127.0.0.1", Port = port }),
            Options.Create(new ApiOptions { Tokens = [.. tokens ?? []], AnonymousReads = anonymousReads }),
            loggerFactory);
    }
}
