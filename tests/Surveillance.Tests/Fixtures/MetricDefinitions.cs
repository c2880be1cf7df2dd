using System.Text.RegularExpressions;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// The metrics the engine's source defines (each a <c>Create{Counter,Gauge,Histogram,Summary}("name", …)</c> call under
/// <c>src/</c>), with their types, and the series names each one is scraped under.
/// </summary>
public static partial class MetricDefinitions
{
    /// <summary>Name to Prometheus type (<c>counter</c>, <c>gauge</c>, <c>histogram</c>, <c>summary</c>).</summary>
    public static IReadOnlyDictionary<string, string> InSource { get; } = Scan();

    /// <summary>Every series name the defined metrics appear under: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.</summary>
    public static IReadOnlySet<string> SeriesNames { get; } = InSource
        .SelectMany(d => d.Value switch
        {
            "histogram" => new[] { $"{d.Key}_bucket", $"{d.Key}_sum", $"{d.Key}_count" },
            "summary" => new[] { d.Key, $"{d.Key}_sum", $"{d.Key}_count" },
            _ => new[] { d.Key },
        })
        .ToHashSet(StringComparer.Ordinal);

    private static Dictionary<string, string> Scan()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in Definition().Matches(File.ReadAllText(file)))
                found[match.Groups["name"].Value] = match.Groups["type"].Value.ToLowerInvariant();
        }
        return found;
    }

    [GeneratedRegex(@"\.Create(?<type>Counter|Gauge|Histogram|Summary)\(\s*""(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)""")]
    private static partial Regex Definition();
}
