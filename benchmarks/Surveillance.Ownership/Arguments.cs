using System.Globalization;

namespace Surveillance.Ownership;

/// <summary><c>--key value</c> and <c>--flag</c> arguments; an unknown key or a bad value is an error that names it.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(flags);
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var key = e.Current;
            if (!key.StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"unexpected argument '{key}'");
            if (flags.Contains(key))
            {
                values[key] = null;
                continue;
            }
            if (!e.MoveNext())
                throw new ArgumentException($"{key} needs a value");
            values[key] = e.Current;
        }
    }

    public bool Flag(string key)
    {
        used.Add(key);
        return values.ContainsKey(key);
    }

    public string Text(string key, string fallback)
    {
        used.Add(key);
        return values.TryGetValue(key, out var v) && v is not null ? v : fallback;
    }

    public int Number(string key, int fallback, int min, int max)
    {
        used.Add(key);
        if (!values.TryGetValue(key, out var v) || v is null)
            return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new ArgumentException($"{key}: '{v}' is not a whole number from {min} to {max}");
        return n;
    }

    public TimeSpan Seconds(string key, TimeSpan fallback, double min, double max)
    {
        used.Add(key);
        if (!values.TryGetValue(key, out var v) || v is null)
            return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s < min || s > max)
            throw new ArgumentException($"{key}: '{v}' is not a number of seconds from {min} to {max}");
        return TimeSpan.FromSeconds(s);
    }

    /// <summary>Called once every key has been read: a key nobody read is a typo, not an option.</summary>
    public void RejectUnknown()
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown)}");
    }
}
