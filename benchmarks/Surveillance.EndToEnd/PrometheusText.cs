using System.Globalization;
using System.Text.RegularExpressions;

namespace Surveillance.EndToEnd;

/// <summary>Reads counters per camera from the engine's Prometheus text exposition.</summary>
public static partial class PrometheusText
{
    public static Dictionary<string, double> PerCamera(string exposition, string metric)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (Match m in Sample().Matches(exposition))
        {
            if (m.Groups["name"].Value == metric)
                values[m.Groups["camera"].Value] = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return values;
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)\{camera="(?<camera>[^"]+)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
