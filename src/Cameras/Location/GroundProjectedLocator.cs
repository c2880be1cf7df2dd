using Surveillance.Alerts;
using Surveillance.Alerts.Events;
using Surveillance.Analytics.Geo;

namespace Surveillance.Cameras.Location;

/// <summary>A calibrated fixed camera: the object stands where the bottom centre of its box touches the ground.</summary>
public sealed class GroundProjectedLocator(GroundProjection projection) : ICameraLocator
{
    private static readonly string Source = WireNames.Of(LocationSource.GroundProjected);

    public (AlertLocation? Location, string? Unavailable) Locate(EventChange change)
    {
        var foot = change.Box.NormalizedFootPoint(change.FrameWidth, change.FrameHeight);
        var ground = projection.Project(foot.X, foot.Y);
        return (new AlertLocation(Math.Round(ground.Lat, 7), Math.Round(ground.Lon, 7), Source), null);
    }
}
