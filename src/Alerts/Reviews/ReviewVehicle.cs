namespace Surveillance.Alerts.Reviews;

/// <summary>A patrol car near a review item's latest location, as its alerts carried it.</summary>
public sealed record ReviewVehicle(string VehicleId, double DistanceMeters);
