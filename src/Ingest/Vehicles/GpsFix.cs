namespace Surveillance.Ingest.Vehicles;

/// <summary>One position report of a patrol vehicle.</summary>
/// <param name="FixTime">When the receiver measured the position (UTC), not when the message arrived.</param>
/// <param name="Heading">Degrees clockwise from north, if known.</param>
/// <param name="Speed">Metres per second, if known.</param>
/// <param name="Accuracy">Horizontal accuracy in metres, if known.</param>
public readonly record struct GpsFix(double Lat, double Lon, DateTime FixTime, double? Heading = null, double? Speed = null, double? Accuracy = null);
