using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace Surveillance.Host;

/// <summary>
/// Which of prometheus-net's own metrics the engine's registry serves beside the engine's: the ones that
/// Prometheus' linter (<c>promtool check metrics</c>) accepts. Registered on the engine's own registry, not the
/// process' default one, so that each engine in a process serves a whole scrape of its own.
/// </summary>
/// <remarks>
/// Kept: the process collector (<c>process_cpu_seconds_total</c>, <c>process_working_set_bytes</c>, …) and the
/// .NET collector (<c>dotnet_*</c>), which are <see cref="DotNetStats"/>, and the instruments of .NET's meters
/// (<c>system_runtime_dotnet_*</c>: GC, JIT, thread pool, CPU time) with the meter adapter's own
/// <c>prometheus_net_meteradapter_instruments_connected</c>.
/// Dropped: the EventCounter adapter, whose <c>System.Runtime</c> counters repeat what the <c>System.Runtime</c>
/// meter reports (.NET 9 and later), and whose own gauge <c>prometheus_net_eventcounteradapter_sources_connected_total</c>
/// and <c>…_count</c> gauges the linter rejects; the meter instruments whose Prometheus name would end in a
/// suffix reserved for counters, histograms and summaries (<c>dotnet.thread_pool.thread.count</c>), since the
/// adapter serves every instrument but a histogram as a gauge; and the registry's own debug figures
/// (<c>prometheus_net_metric_families</c>, …), which prometheus-net 8 offers on its default registry only.
/// </remarks>
public sealed partial class RuntimeMetrics(CollectorRegistry registry) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private IDisposable? _meters;
    private bool _processRegistered;

    /// <summary>Starts listening to the meters; before the metrics endpoint, so that its first scrape has them.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_processRegistered)
            {
                // Adds a before-collect callback that cannot be taken back: once per registry.
                DotNetStats.Register(registry);
                _processRegistered = true;
            }
            _meters ??= MeterAdapter.StartListening(new MeterAdapterOptions
            {
                Registry = registry,
                // Its default is the default registry's factory, which would put the instruments there.
                MetricFactory = Metrics.WithCustomRegistry(registry),
                InstrumentFilterPredicate = PassesSuffixRules,
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops listening to the meters: a process that builds engine after engine does not keep a listener for each.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _meters?.Dispose();
            _meters = null;
        }
    }

    /// <summary>Whether the meter adapter's metric for <paramref name="instrument"/> would pass the linter's suffix rules.</summary>
    public static bool PassesSuffixRules(Instrument instrument) =>
        IsHistogram(instrument) || !ReservedSuffix().IsMatch(instrument.Name);

    private static bool IsHistogram(Instrument instrument) =>
        instrument.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(Histogram<>);

    /// <summary>The adapter turns every character but a letter or digit into <c>_</c>, so <c>thread.count</c> ends up as <c>thread_count</c>.</summary>
    [GeneratedRegex(@"(^|[^A-Za-z0-9])(count|sum|bucket|total)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReservedSuffix();
}
