using System.Globalization;

namespace Surveillance.Alerts.Rules;

/// <summary>A daily time window such as 22:00–06:00 in a given time zone; it may span midnight.</summary>
public sealed class DailyWindow(TimeOnly from, TimeOnly to, TimeZoneInfo zone)
{
    public TimeOnly From => from;

    public TimeOnly To => to;

    public static bool TryParseTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>Whether a UTC instant falls in the window, read on the zone's wall clock (so daylight saving is followed).</summary>
    public bool Contains(DateTime utc)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));
        return from < to ? local >= from && local < to : local >= from || local < to;
    }
}
