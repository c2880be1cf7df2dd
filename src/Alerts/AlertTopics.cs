namespace Surveillance.Alerts;

/// <summary>
/// Topic layout: a grid operator subscribes to <c>{prefix}/alerts/{gridId}/#</c>, the command centre to
/// <c>{prefix}/alerts/#</c>.
/// </summary>
public static class AlertTopics
{
    public static string For(string prefix, string gridId, string cameraId) => $"{prefix}/alerts/{gridId}/{cameraId}";
}
