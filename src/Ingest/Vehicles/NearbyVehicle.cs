namespace Surveillance.Ingest.Vehicles;

/// <summary>A patrol vehicle near a place, by its latest fix.</summary>
public readonly record struct NearbyVehicle(string VehicleId, double DistanceMetres, TimeSpan FixAge);
