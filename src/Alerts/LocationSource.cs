namespace Surveillance.Alerts;

/// <summary>What an alert's location was derived from; written as <c>location.source</c> (see <see cref="WireNames"/>).</summary>
public enum LocationSource
{
    /// <summary>The object's foot point projected through the camera's ground calibration.</summary>
    GroundProjected,

    /// <summary>The fixed camera's configured position.</summary>
    Camera,

    /// <summary>The patrol vehicle's GPS track interpolated at the frame's capture time.</summary>
    VehicleGps,
}
