namespace Surveillance.Ingest.Vehicles;

/// <summary>Where a vehicle last reported it was, and when it measured that (UTC).</summary>
public readonly record struct VehiclePosition(string VehicleId, double Lat, double Lon, DateTime FixTime);
