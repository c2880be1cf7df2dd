using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Prometheus;

namespace Surveillance.Host;

/// <summary>
/// Which of prometheus-net's own metrics the endpoint serves beside the engine's: the ones that Prometheus'
/// linter (<c>promtool check metrics</c>) accepts.
/// </summary>
/// <remarks>
/// Kept: the process collector (<c>process_cpu_seconds_total</c>, <c>process_working_set_bytes</c>, …), the
/// .NET collector (<c>dotnet_*</c>), prometheus-net's own <c>prometheus_net_*</c> figures, and the instruments of
/// .NET's meters (<c>system_runtime_dotnet_*</c>: GC, JIT, thread pool, CPU time).
/// Dropped: the EventCounter adapter, whose <c>System.Runtime</c> counters repeat what the <c>System.Runtime</c>
/// meter reports (.NET 9 and later), and whose own gauge <c>prometheus_net_eventcounteradapter_sources_connected_total</c>
/// and <c>…_count</c> gauges the linter rejects; and the meter instruments whose Prometheus name would end in a
/// suffix reserved for counters, histograms and summaries (<c>dotnet.thread_pool.thread.count</c>), since the
/// adapter serves every instrument but a histogram as a gauge.
/// </remarks>
public static partial class RuntimeMetrics
{
    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>
    /// Makes the choice for the process' default registry. prometheus-net applies it when the registry is first
    /// collected and ignores it after that, so this must run before the first scrape.
    /// </summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_configured)
                return;
            _configured = true;
        }
        Metrics.ConfigureMeterAdapter(adapter => adapter.InstrumentFilterPredicate = PassesSuffixRules);
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressProcessMetrics = false,
            SuppressDebugMetrics = false,
            SuppressEventCounters = true,
            SuppressMeters = false,
        });
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
