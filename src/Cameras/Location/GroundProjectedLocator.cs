using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Analytics.Geo;

namespace Surveillance.Cameras.Location;

/// <summary>A calibrated fixed camera: the object stands where the bottom centre of its box touches the ground.</summary>
public sealed class GroundProjectedLocator(GroundProjection projection) : ICameraLocator
{
    public (AlertLocation? Location, string? Unavailable) Locate(EventChange change)
    {
        var box = change.Box;
        var ground = projection.Project((box.X1 + box.X2) / 2 / change.FrameWidth, box.Y2 / change.FrameHeight);
        return (new AlertLocation(Math.Round(ground.Lat, 7), Math.Round(ground.Lon, 7), AlertLocation.GroundProjectedSource), null);
    }
}
