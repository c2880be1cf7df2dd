using Surveillance.Analytics.Geo;
using Surveillance.Ingest;

namespace Surveillance.Host.Configuration;

/// <summary>Every camera this node decodes, from <c>Cameras:0</c>, <c>Cameras:1</c>, …</summary>
public sealed class CameraSet
{
    public const string Section = "Cameras";

    public List<CameraOptions> Cameras { get; } = [];

    /// <summary>The ground projection of a calibrated camera.</summary>
    public static GroundProjection Project(CameraCalibrationOptions calibration) =>
        GroundProjection.Fit([.. calibration.Points.Select(p => (p.X, p.Y, p.Lat, p.Lon))]);

    private static string? CheckCalibration(CameraCalibrationOptions calibration)
    {
        try
        {
            var projection = Project(calibration);
            return projection.RmsErrorMetres > calibration.MaxErrorMetres
                ? $"the reference points are {projection.RmsErrorMetres:0.0} m (RMS) off the fitted ground plane, more than MaxErrorMetres {calibration.MaxErrorMetres}; check the points"
                : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public IEnumerable<string> Validate()
    {
        if (Cameras.Count == 0)
            yield return $"{Section}: at least one camera is required (e.g. Cameras__0__Url=rtsp://host/stream)";

        for (var i = 0; i < Cameras.Count; i++)
        {
            var errors = CameraOptionsValidator.Validate(Cameras[i], $"{Section}:{i}").ToList();
            foreach (var error in errors)
                yield return error;
            if (errors.Count == 0 && Cameras[i].Calibration is { } calibration && CheckCalibration(calibration) is { } problem)
                yield return $"{Section}:{i}:Calibration: {problem}";
        }

        foreach (var duplicate in Cameras.Where(c => !string.IsNullOrEmpty(c.Id)).GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Section}: camera id '{duplicate.Key}' is used by {duplicate.Count()} cameras; ids must be unique";
    }
}
