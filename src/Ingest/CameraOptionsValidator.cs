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

        if (string.IsNullOrWhiteSpace(camera.GridId))
            yield return $"{key}:GridId: is required";
        else if (!TopicSegment.IsValid(camera.GridId))
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

        if (double.IsNaN(camera.DetectFps) || camera.DetectFps <= 0 || camera.DetectFps > MaxDetectFps)
            yield return $"{key}:DetectFps: must be greater than 0 and at most {MaxDetectFps} (was {camera.DetectFps})";

        if (camera.DetectWidth < 32 || camera.DetectWidth > MaxDetectDimension || camera.DetectWidth % 2 != 0)
            yield return $"{key}:DetectWidth: must be an even number between 32 and {MaxDetectDimension} (was {camera.DetectWidth})";
        if (camera.DetectHeight < 32 || camera.DetectHeight > MaxDetectDimension || camera.DetectHeight % 2 != 0)
            yield return $"{key}:DetectHeight: must be an even number between 32 and {MaxDetectDimension} (was {camera.DetectHeight})";
    }
}
