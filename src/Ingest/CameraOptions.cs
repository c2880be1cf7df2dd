namespace Surveillance.Ingest;

/// <summary>One camera, as configured under <c>Cameras:N</c>.</summary>
public sealed class CameraOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Where frames come from: an <c>rtsp://</c> URL or a local video file (looped). May carry credentials.</summary>
    public string Url { get; set; } = "";

    public CameraKind Kind { get; set; } = CameraKind.Fixed;

    /// <summary>WGS84 latitude of a fixed camera.</summary>
    public double? Latitude { get; set; }

    /// <summary>WGS84 longitude of a fixed camera.</summary>
    public double? Longitude { get; set; }

    /// <summary>The management grid the camera belongs to.</summary>
    public string GridId { get; set; } = "";

    /// <summary>Frames per second handed to detection; ffmpeg drops the rest before they reach us.</summary>
    public double DetectFps { get; set; } = 5;

    /// <summary>Width ffmpeg scales frames to before detection.</summary>
    public int DetectWidth { get; set; } = 640;

    /// <summary>Height ffmpeg scales frames to before detection.</summary>
    public int DetectHeight { get; set; } = 360;

    /// <summary>Bytes in one decoded BGR frame.</summary>
    public int FrameLength => DetectWidth * DetectHeight * 3;
}
