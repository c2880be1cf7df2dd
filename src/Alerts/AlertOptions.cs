namespace Surveillance.Alerts;

/// <summary>How rule firings become events, under <c>Alerts</c> (the same for every camera).</summary>
public sealed class AlertOptions
{
    /// <summary>
    /// IANA time zone (e.g. <c>Asia/Shanghai</c>) in which rules' daily time windows are read. Empty: the
    /// machine's local zone.
    /// </summary>
    public string TimeZone { get; set; } = "";

    /// <summary>An open event that changes (another zone, more people, a higher score) sends an update at most this often.</summary>
    public double UpdateIntervalSeconds { get; set; } = 5;

    /// <summary>
    /// A rule's condition must have stopped holding for this long before its event ends, so an object
    /// flickering on a zone's edge or missed for a frame gives one event, not several.
    /// </summary>
    public double ClearSeconds { get; set; } = 2;

    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone.Trim());

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(TimeZone))
        {
            string? error = null;
            try
            {
                _ = ResolveTimeZone();
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                error = $"Alerts:TimeZone: '{TimeZone}' is not a known time zone (use an IANA name such as Europe/London or Asia/Shanghai)";
            }
            if (error is not null)
                yield return error;
        }
        if (double.IsNaN(UpdateIntervalSeconds) || UpdateIntervalSeconds < 0 || UpdateIntervalSeconds > 3600)
            yield return $"Alerts:UpdateIntervalSeconds: must be between 0 and 3600 (was {UpdateIntervalSeconds})";
        if (double.IsNaN(ClearSeconds) || ClearSeconds < 0 || ClearSeconds > 3600)
            yield return $"Alerts:ClearSeconds: must be between 0 and 3600 (was {ClearSeconds})";
    }
}
