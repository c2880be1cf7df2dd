namespace Surveillance.Alerts;

/// <summary>How detections become alerts, under <c>Alerts</c>.</summary>
public sealed class AlertOptions
{
    /// <summary>After an alert for a label on a camera, further ones for that label and camera wait this long.</summary>
    public double CooldownSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (double.IsNaN(CooldownSeconds) || CooldownSeconds < 0 || CooldownSeconds > 86_400)
            yield return $"Alerts:CooldownSeconds: must be between 0 and 86400 (was {CooldownSeconds})";
    }
}
