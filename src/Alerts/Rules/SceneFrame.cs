namespace Surveillance.Alerts.Rules;

/// <summary>The frame a set of <see cref="SceneObject"/>s belongs to: its UTC capture time and size in pixels.</summary>
public readonly record struct SceneFrame(DateTime Time, int Width, int Height);
