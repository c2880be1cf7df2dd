namespace Surveillance.Ingest;

/// <summary>Checks one camera's settings and names each problem by its configuration key.</summary>
public static class CameraOptionsValidator
{
    public const double MaxDetectFps = 60;
    public const int MaxDetectDimension = 4096;

    /// <param name="camera">The camera to check.</param>
    /// <param name="key">The configuration key of the camera, e.g. <c>Cameras:0</c>.</param>
    public static IEnumerable<string> Validate(CameraOptions camera, string key)
    {
        if (string.IsNullOrWhiteSpace(camera.Id))
            yield return $"{key}:Id: is required";
        else if (!TopicSegment.IsValid(camera.Id))
            yield return $"{key}:Id: '{camera.Id}' {TopicSegment.Rule}";

        if (string.IsNullOrWhiteSpace(camera.Url))
        {
            yield return $"{key}:Url: is required";
        }
        else if (!SourceUrl.TryParse(camera.Url, out _, out var urlError))
        {
            yield return $"{key}:Url: {urlError}";
        }

        if (!Enum.IsDefined(camera.Kind))
            yield return $"{key}:Kind: must be 'fixed' or 'patrol'";

        if (!string.IsNullOrEmpty(camera.GridId) && !TopicSegment.IsValid(camera.GridId))
            yield return $"{key}:GridId: '{camera.GridId}' {TopicSegment.Rule}";

        if (!Enum.IsDefined(camera.Transport))
            yield return $"{key}:Transport: must be 'tcp' or 'udp'";

        if (camera.Kind == CameraKind.Patrol)
        {
            if (string.IsNullOrWhiteSpace(camera.VehicleId))
                yield return $"{key}:VehicleId: is required for a patrol camera";
            else if (!TopicSegment.IsValid(camera.VehicleId))
                yield return $"{key}:VehicleId: '{camera.VehicleId}' {TopicSegment.Rule}";
        }
        else if (!string.IsNullOrEmpty(camera.VehicleId))
        {
            yield return $"{key}:VehicleId: only a patrol camera has a vehicle (Kind is '{camera.Kind.ToString().ToLowerInvariant()}')";
        }

        if (camera.StallTimeoutSeconds is { } stall && (double.IsNaN(stall) || stall < 1 || stall > 600))
            yield return $"{key}:StallTimeoutSeconds: must be between 1 and 600 (was {stall})";

        if (camera.Kind == CameraKind.Fixed)
        {
            if (camera.Latitude is null)
                yield return $"{key}:Latitude: is required for a fixed camera";
            if (camera.Longitude is null)
                yield return $"{key}:Longitude: is required for a fixed camera";
        }

        if (camera.Latitude is { } lat && (double.IsNaN(lat) || lat < -90 || lat > 90))
            yield return $"{key}:Latitude: must be between -90 and 90 (was {lat})";
        if (camera.Longitude is { } lon && (double.IsNaN(lon) || lon < -180 || lon > 180))
            yield return $"{key}:Longitude: must be between -180 and 180 (was {lon})";

        if (camera.Calibration is { } calibration)
        {
            if (camera.Kind == CameraKind.Patrol)
                yield return $"{key}:Calibration: a patrol camera moves with its vehicle; only a fixed camera can be calibrated to the ground";
            if (calibration.Points.Count < 4)
                yield return $"{key}:Calibration:Points: at least 4 reference points are needed (got {calibration.Points.Count})";
            for (var i = 0; i < calibration.Points.Count; i++)
            {
                var p = calibration.Points[i];
                if (p.X is < 0 or > 1 || p.Y is < 0 or > 1 || double.IsNaN(p.X) || double.IsNaN(p.Y))
                    yield return $"{key}:Calibration:Points:{i}: X and Y are image positions from 0 to 1 (were {p.X}, {p.Y})";
                if (p.Lat is < -90 or > 90 || p.Lon is < -180 or > 180 || double.IsNaN(p.Lat) || double.IsNaN(p.Lon))
                    yield return $"{key}:Calibration:Points:{i}: Lat/Lon out of range (were {p.Lat}, {p.Lon})";
            }
            if (double.IsNaN(calibration.MaxErrorMetres) || calibration.MaxErrorMetres <= 0)
                yield return $"{key}:Calibration:MaxErrorMetres: must be greater than 0 (was {calibration.MaxErrorMetres})";
        }

        if (double.IsNaN(camera.DetectFps) || camera.DetectFps <= 0 || camera.DetectFps > MaxDetectFps)
            yield return $"{key}:DetectFps: must be greater than 0 and at most {MaxDetectFps} (was {camera.DetectFps})";

        if (camera.DetectWidth < 32 || camera.DetectWidth > MaxDetectDimension || camera.DetectWidth % 2 != 0)
            yield return $"{key}:DetectWidth: must be an even number between 32 and {MaxDetectDimension} (was {camera.DetectWidth})";
        if (camera.DetectHeight < 32 || camera.DetectHeight > MaxDetectDimension || camera.DetectHeight % 2 != 0)
            yield return $"{key}:DetectHeight: must be an even number between 32 and {MaxDetectDimension} (was {camera.DetectHeight})";
    }
}
