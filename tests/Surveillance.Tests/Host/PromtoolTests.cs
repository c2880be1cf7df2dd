using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The engine's scrape, as a running engine serves it, through Prometheus' own linter (<c>promtool check metrics</c>,
/// Debian's <c>prometheus</c>, which ./test.sh installs).
/// </summary>
public sealed class PromtoolTests
{
    private const string Camera = "camera=\"demo-walkway\"";

    [Fact]
    public async Task A_running_engines_scrape_passes_promtool_check_metrics()
    {
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Port"] = FreePort.Next().ToString(),
        });

        // Per-camera series, histograms with samples and the runtime's meters all exist once alerts have gone out.
        var scrape = await engine.ScrapeMetricsAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Exposition.CounterValue(scrape, "surveillance_alerts_published_total", Camera) < 1
               || Exposition.CounterValue(scrape, "surveillance_frames_analysed_total", Camera) < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no frame analysed and alert published in 90 s; the last scrape:\n{scrape}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            scrape = await engine.ScrapeMetricsAsync();
        }
        // The runtime's figures that operators watch are still served, not suppressed wholesale.
        Assert.Contains("# TYPE process_cpu_seconds_total counter", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE system_runtime_dotnet_gc_heap_total_allocated gauge", scrape, StringComparison.Ordinal);
        Assert.Contains("# TYPE surveillance_inference_duration_seconds histogram", scrape, StringComparison.Ordinal);

        var (exitCode, output) = await Promtool.RunAsync(["check", "metrics"], scrape);

        Assert.True(exitCode == 0 && output.Length == 0,
            $"promtool check metrics exited with {exitCode} and said:\n{output}\non this scrape:\n{scrape}");
    }
}
