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

    /// <summary>A histogram's cumulative bucket counts by upper bound, +Inf last.</summary>
    public static SortedDictionary<double, double> Buckets(string exposition, string histogram)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (Match m in Bucket().Matches(exposition))
        {
            if (m.Groups["name"].Value != histogram + "_bucket")
                continue;
            var le = m.Groups["le"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups["le"].Value, CultureInfo.InvariantCulture);
            buckets[le] = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return buckets;
    }

    /// <summary>
    /// The <paramref name="quantile"/> of a histogram's observations, given as cumulative counts by upper bound
    /// (see <see cref="AddBuckets"/>), interpolated linearly inside the bucket it falls in.
    /// </summary>
    public static double Quantile(SortedDictionary<double, double> buckets, double quantile)
    {
        var total = buckets[double.PositiveInfinity];
        if (total <= 0)
            return double.NaN;
        var rank = quantile * total;
        var lower = 0.0;
        var below = 0.0;
        foreach (var (le, count) in buckets)
        {
            if (count >= rank)
                return double.IsPositiveInfinity(le) ? lower : lower + (le - lower) * (rank - below) / Math.Max(count - below, 1e-9);
            lower = le;
            below = count;
        }
        return lower;
    }

    /// <summary>Adds to <paramref name="totals"/> a histogram's observations between two scrapes, as cumulative counts.</summary>
    public static void AddBuckets(SortedDictionary<double, double> totals, string before, string after, string histogram)
    {
        var start = Buckets(before, histogram);
        foreach (var (le, cumulative) in Buckets(after, histogram))
            totals[le] = totals.GetValueOrDefault(le) + cumulative - start.GetValueOrDefault(le);
    }

    [GeneratedRegex("""^(?<name>[a-z_]+)\{le="(?<le>[^"]+)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Bucket();

    [GeneratedRegex("""^(?<name>[a-z_]+)\{camera="(?<camera>[^"]+)"\} (?<value>\S+)$""", RegexOptions.Multiline)]
    private static partial Regex Sample();
}
