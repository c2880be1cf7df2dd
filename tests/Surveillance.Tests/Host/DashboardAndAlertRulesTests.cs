using System.Text.Json;
using System.Text.RegularExpressions;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>
/// The Grafana dashboard and the Prometheus alerting rules in <c>deploy/</c>: the rules through the real promtool
/// (<c>check rules</c>, and <c>test rules</c> on their unit tests), the dashboard's structure, and every metric name
/// either uses checked against the metrics the engine defines, which are checked against a running engine's scrape.
/// </summary>
public sealed partial class DashboardAndAlertRulesTests
{
    private static readonly string Rules = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "surveillance-alerts.yml");
    private static readonly string RuleTests = Path.Combine(RepoPaths.Root, "deploy", "prometheus", "surveillance-alerts.test.yml");
    private static readonly string Dashboard = Path.Combine(RepoPaths.Root, "deploy", "grafana", "surveillance.json");

    /// <summary>Series Prometheus makes itself for every target it scrapes.</summary>
    private static readonly HashSet<string> MadeByPrometheus = new(StringComparer.Ordinal) { "up" };

    [Fact]
    public async Task Promtool_check_rules_accepts_the_rules()
    {
        var (exitCode, output) = await Promtool.RunAsync(["check", "rules", Rules]);

        Assert.True(exitCode == 0, $"promtool check rules exited with {exitCode}:\n{output}");
        Assert.Contains($"SUCCESS: {AlertNames().Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_test_rules_passes_the_rules_unit_tests()
    {
        var (exitCode, output) = await Promtool.RunAsync(["test", "rules", Path.GetFileName(RuleTests)], workingDirectory: Path.GetDirectoryName(RuleTests));

        Assert.True(exitCode == 0, $"promtool test rules exited with {exitCode}:\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alert_is_unit_tested_both_firing_and_not_firing()
    {
        var cases = RuleTestCases();

        Assert.NotEmpty(AlertNames());
        foreach (var alert in AlertNames())
        {
            Assert.True(cases.Any(c => c.Alert == alert && c.Fires), $"no unit test in {Path.GetFileName(RuleTests)} expects {alert} to fire");
            Assert.True(cases.Any(c => c.Alert == alert && !c.Fires), $"no unit test in {Path.GetFileName(RuleTests)} expects {alert} not to fire (exp_alerts: [])");
        }
        Assert.All(cases, c => Assert.Contains(c.Alert, AlertNames()));
    }

    [Fact]
    public void The_dashboard_is_a_grafana_dashboard_whose_every_panel_queries_prometheus_through_the_datasource_variable()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var root = document.RootElement;

        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToList();
        var datasource = Assert.Single(variables, v => v.GetProperty("type").GetString() == "datasource");
        Assert.Equal("prometheus", datasource.GetProperty("query").GetString());
        var reference = "${" + datasource.GetProperty("name").GetString() + "}";

        var panels = Panels(root).ToList();
        Assert.True(panels.Count >= 8, $"only {panels.Count} panels");
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.False(string.IsNullOrWhiteSpace(title));
            Assert.True(panel.TryGetProperty("gridPos", out _), $"panel '{title}' has no gridPos");
            Assert.True(panel.TryGetProperty("datasource", out var source) && source.GetProperty("uid").GetString() == reference,
                $"panel '{title}' does not use the {reference} variable as its datasource");
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has no target");
            foreach (var target in targets)
            {
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("expr").GetString()), $"a target of panel '{title}' has no expr");
                Assert.False(string.IsNullOrWhiteSpace(target.GetProperty("refId").GetString()), $"a target of panel '{title}' has no refId");
                Assert.Equal(reference, target.GetProperty("datasource").GetProperty("uid").GetString());
            }
        }
        // What operators asked to see.
        var used = string.Join("\n", DashboardExpressions());
        foreach (var metric in new[]
        {
            "surveillance_camera_state", "surveillance_camera_fps", "surveillance_frames_dropped_total", "surveillance_frames_skipped_total",
            "surveillance_inference_duration_seconds_bucket", "surveillance_outbox_depth", "surveillance_outbox_oldest_pending_seconds",
            "surveillance_events_started_total", "surveillance_false_alarms_total",
        })
            Assert.Contains(metric, used, StringComparison.Ordinal);
        Assert.Contains("sum by (grid, rule) (", used, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_metric_the_dashboard_and_the_rules_use_is_one_the_engine_defines()
    {
        var expressions = DashboardExpressions().Select(e => ("dashboard", e))
            .Concat(RuleExpressions().Select(e => ("rules", e))).ToList();
        Assert.NotEmpty(expressions);

        var unknown = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (where, expression) in expressions)
        {
            var names = PromQlNames.In(expression);
            Assert.True(names.Count > 0, $"no metric found in the {where} expression {expression}");
            foreach (var name in names)
            {
                seen.Add(name);
                if (!MetricDefinitions.SeriesNames.Contains(name) && !MadeByPrometheus.Contains(name))
                    unknown.Add($"{where}: {name} in {expression}");
            }
        }

        Assert.True(unknown.Count == 0, "not metrics of the engine:\n" + string.Join("\n", unknown));
        // The names were read out of the expressions, not skipped: the alerts' own metrics are among them.
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal)
            { "surveillance_camera_state", "surveillance_outbox_depth", "up", "surveillance_frames_decoded_total", "surveillance_capture_to_publish_seconds_bucket" }, seen);
    }

    [Fact]
    public async Task The_metric_definitions_read_from_the_source_are_the_ones_a_running_engine_serves()
    {
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Port"] = FreePort.Next().ToString(),
        });
        // Labelled metrics are served once they have a series: wait for the camera's first alert.
        var scrape = await engine.ScrapeMetricsAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (Exposition.CounterValue(scrape, "surveillance_alerts_published_total", "camera=\"demo-walkway\"") < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no alert published in 90 s; the last scrape:\n{scrape}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            scrape = await engine.ScrapeMetricsAsync();
        }

        var served = TypeLine().Matches(scrape).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);
        var engineOwn = served.Where(s => s.Key.StartsWith("surveillance_", StringComparison.Ordinal)).ToList();
        Assert.True(engineOwn.Count >= 20, $"only {engineOwn.Count} surveillance_ metrics served");
        foreach (var (name, type) in engineOwn)
        {
            Assert.True(MetricDefinitions.InSource.TryGetValue(name, out var defined), $"{name} is served but not found among the definitions in src/");
            Assert.Equal(type, defined);
        }
        // Among them, what the dashboard and the rules lean on most.
        foreach (var name in new[] { "surveillance_camera_state", "surveillance_camera_fps", "surveillance_events_started_total", "surveillance_outbox_depth", "surveillance_inference_duration_seconds" })
            Assert.Contains(name, served.Keys);
    }

    private static IEnumerable<JsonElement> Panels(JsonElement container)
    {
        foreach (var panel in container.GetProperty("panels").EnumerateArray())
        {
            if (panel.GetProperty("type").GetString() == "row")
            {
                foreach (var nested in Panels(panel))
                    yield return nested;
            }
            else
            {
                yield return panel;
            }
        }
    }

    private static List<string> DashboardExpressions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        var expressions = Panels(document.RootElement)
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        foreach (var variable in document.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() == "query")
                expressions.Add(variable.GetProperty("query").GetProperty("query").GetString()!);
        }
        return expressions;
    }

    private static List<string> RuleExpressions()
    {
        var lines = File.ReadAllLines(Rules);
        // One line each, so that they can be read without a YAML parser; a block scalar would be missed.
        Assert.DoesNotContain(lines, l => BlockExpr().IsMatch(l));
        return [.. lines.Select(l => ExprLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value.Trim())];
    }

    private static List<string> AlertNames() =>
        [.. File.ReadAllLines(Rules).Select(l => AlertLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value)];

    /// <summary>Each <c>alert_rule_test</c> case of the unit tests: its alert, and whether it expects it to fire.</summary>
    private static List<(string Alert, bool Fires)> RuleTestCases()
    {
        var cases = new List<(string, bool)>();
        string? alert = null;
        foreach (var line in File.ReadAllLines(RuleTests))
        {
            if (AlertNameLine().Match(line) is { Success: true } name)
            {
                alert = name.Groups[1].Value;
            }
            else if (ExpAlertsLine().Match(line) is { Success: true } expected && alert is not null)
            {
                cases.Add((alert, expected.Groups[1].Value.Trim() != "[]"));
                alert = null;
            }
        }
        return cases;
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^\s*expr:\s*(.+)$")]
    private static partial Regex ExprLine();

    [GeneratedRegex(@"^\s*expr:\s*[|>]")]
    private static partial Regex BlockExpr();

    [GeneratedRegex(@"^\s*- alert:\s*(\S+)\s*$")]
    private static partial Regex AlertLine();

    [GeneratedRegex(@"^\s*alertname:\s*(\S+)\s*$")]
    private static partial Regex AlertNameLine();

    [GeneratedRegex(@"^\s*exp_alerts:(.*)$")]
    private static partial Regex ExpAlertsLine();
}
