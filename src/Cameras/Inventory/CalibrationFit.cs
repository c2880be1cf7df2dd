using Surveillance.Analytics.Geo;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>The ground projection of a calibrated camera, fitted to its reference points.</summary>
public static class CalibrationFit
{
    /// <exception cref="ArgumentException">The points do not determine a ground plane.</exception>
    public static GroundProjection Project(CameraCalibrationOptions calibration) =>
        GroundProjection.Fit([.. calibration.Points.Select(p => (p.X, p.Y, p.Lat, p.Lon))]);
}
