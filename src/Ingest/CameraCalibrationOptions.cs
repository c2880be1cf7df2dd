namespace Surveillance.Ingest;

/// <summary>
/// Reference points that tie a fixed camera's image to the ground, under <c>Cameras:N:Calibration</c>:
/// at least four points on the ground plane, each seen at (X, Y) in the image and surveyed at (Lat, Lon).
/// </summary>
public sealed class CameraCalibrationOptions
{
    public List<CalibrationPoint> Points { get; set; } = [];

    /// <summary>Calibrations whose points disagree with the fitted ground plane by more than this (RMS) are refused.</summary>
    public double MaxErrorMetres { get; set; } = 2;
}

/// <summary>One reference point: image position normalised to 0..1 (X from the left, Y from the top) and its WGS84 position.</summary>
public sealed class CalibrationPoint
{
    public double X { get; set; }

    public double Y { get; set; }

    public double Lat { get; set; }

    public double Lon { get; set; }
}
