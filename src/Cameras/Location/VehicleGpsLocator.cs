using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Cameras.Location;

/// <summary>A patrol camera: the object is where the camera's vehicle was when the frame was captured.</summary>
public sealed class VehicleGpsLocator(VehicleRegistry vehicles, string vehicleId) : ICameraLocator
{
    private static readonly string Source = WireNames.Of(LocationSource.VehicleGps);

    private readonly string _noFix = $"no GPS fix received from vehicle {vehicleId}";

    public (AlertLocation? Location, string? Unavailable) Locate(EventChange change)
    {
        if (!vehicles.TryLocate(vehicleId, change.ObservedAt, out var fix))
            return (null, _noFix);
        return (new AlertLocation(Math.Round(fix.Lat, 7), Math.Round(fix.Lon, 7), Source)
        {
            VehicleId = vehicleId,
            FixAgeMs = (long)fix.FixAge.TotalMilliseconds,
            Stale = fix.Stale,
        }, null);
    }
}
