namespace Surveillance.Alerts;

/// <summary>
/// The simplest useful rule: an object of interest raises an alert, then that camera stays quiet about that
/// label for the cooldown, so one person crossing the scene is one alert, not one per frame.
/// Times are the frames' capture times, so the rule is deterministic whatever the processing delay and
/// whichever detector worker finishes first. Not thread-safe: the alert stage owns it.
/// </summary>
public sealed class CooldownAlertRule(TimeSpan cooldown)
{
    private readonly Dictionary<(string CameraId, string Label), DateTime> _lastAlert = [];

    /// <summary>True when an alert for <paramref name="label"/> on <paramref name="cameraId"/> may be raised now, and records it.</summary>
    public bool TryAdmit(string cameraId, string label, DateTime observedAt)
    {
        var key = (cameraId, label);
        if (_lastAlert.TryGetValue(key, out var last))
        {
            if ((observedAt - last).Duration() < cooldown)
                return false;
            if (observedAt < last)
                return true;
        }
        _lastAlert[key] = observedAt;
        return true;
    }
}
