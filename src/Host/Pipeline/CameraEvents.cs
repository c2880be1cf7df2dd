namespace Surveillance.Host.Pipeline;

/// <summary>The event messages one frame of one camera produced, handed from the detection stage to the alert stage.</summary>
public sealed record CameraEvents(string CameraId, EventOutput[] Items);
