using Surveillance.Alerts;
using Surveillance.Alerts.Events;

namespace Surveillance.Cameras.Location;

/// <summary>An uncalibrated fixed camera: the object is placed at the camera.</summary>
public sealed class CameraPositionLocator(double latitude, double longitude) : ICameraLocator
{
    private readonly AlertLocation _location = new(latitude, longitude, WireNames.Of(LocationSource.Camera));

    public (AlertLocation? Location, string? Unavailable) Locate(EventChange change) => (_location, null);
}
