namespace Surveillance.Ingest.Vehicles;

/// <summary>Where a vehicle was at a moment, from its GPS track.</summary>
/// <param name="FixAge">Time between the moment asked for and the nearest fix the position rests on.</param>
/// <param name="Stale">The nearest fix is older than the staleness limit: the position may be far off.</param>
public readonly record struct VehicleLocation(string VehicleId, double Lat, double Lon, TimeSpan FixAge, bool Stale);
