namespace Surveillance.Host.Api;

/// <summary>One vehicle of <c>GET /api/vehicles</c>: its latest fix and the grid containing it.</summary>
/// <param name="At">When the receiver measured the position (UTC).</param>
public sealed record VehicleAnswer(string VehicleId, double Lat, double Lon, DateTime At, string? GridId);
