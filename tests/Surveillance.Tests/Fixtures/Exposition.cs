using System.Globalization;
using System.Text.RegularExpressions;
using Prometheus;

namespace Surveillance.Tests.Fixtures;

/// <summary>Reads samples from the engine's Prometheus text exposition.</summary>
public static class Exposition
{
    /// <summary>What <paramref name="registry"/> reads now, in the form the engine's endpoint serves it.</summary>
    public static async Task<string> OfAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The sample's value; fails the test when the engine does not export it.</summary>
    public static double Value(string exposition, string name, string? labels)
    {
        Assert.True(TryValue(exposition, name, labels, out var value), $"metric {name}{{{labels}}} not exported");
        return value;
    }

    /// <summary>
    /// The sample's value, or 0 for a counter the engine creates on its first increment (a camera's analysed
    /// frames before its first detection).
    /// </summary>
    public static double CounterValue(string exposition, string name, string? labels) =>
        TryValue(exposition, name, labels, out var value) ? value : 0;

    private static bool TryValue(string exposition, string name, string? labels, out double value)
    {
        var pattern = labels is null ? $@"^{name} (\S+)$" : $@"^{name}\{{{Regex.Escape(labels)}\}} (\S+)$";
        var match = Regex.Match(exposition, pattern, RegexOptions.Multiline);
        value = match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return match.Success;
    }
}
