using Surveillance.Alerts;
using Surveillance.Alerts.Events;

namespace Surveillance.Cameras.Location;

/// <summary>
/// Where an event's object is on the Earth. Chosen once per camera (<see cref="CameraLocators.For"/>): a calibrated
/// camera projects the object's foot onto the ground, a fixed camera gives its own position, a patrol camera the
/// position of its vehicle when the frame was captured.
/// </summary>
public interface ICameraLocator
{
    /// <returns>The location, or null with the reason the alert carries instead of pretending 0,0.</returns>
    (AlertLocation? Location, string? Unavailable) Locate(EventChange change);
}
