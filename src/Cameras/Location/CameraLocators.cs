using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Cameras.Location;

/// <summary>Picks a camera's <see cref="ICameraLocator"/> from its settings.</summary>
public static class CameraLocators
{
    private static readonly ICameraLocator Nowhere = new Unplaced();

    public static ICameraLocator For(CameraOptions camera, VehicleRegistry vehicles)
    {
        if (camera.Calibration is { } calibration)
            return new GroundProjectedLocator(CalibrationFit.Project(calibration));
        if (camera.Kind == CameraKind.Patrol && camera.VehicleId is { } vehicleId)
            return new VehicleGpsLocator(vehicles, vehicleId);
        return camera.Latitude is { } lat && camera.Longitude is { } lon ? new CameraPositionLocator(lat, lon) : Nowhere;
    }

    private sealed class Unplaced : ICameraLocator
    {
        public (AlertLocation? Location, string? Unavailable) Locate(EventChange change) => (null, "the camera has no configured position");
    }
}
