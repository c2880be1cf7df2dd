namespace Surveillance.Alerts.Events;

/// <summary>A box in frame pixels with a caption, e.g. the object an event is about, as drawn on its snapshot.</summary>
public readonly record struct EventBox(float X1, float Y1, float X2, float Y2, string Caption);
