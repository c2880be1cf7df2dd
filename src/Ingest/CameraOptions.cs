namespace Surveillance.Ingest;

/// <summary>One camera, as configured under <c>Cameras:N</c>.</summary>
public sealed class CameraOptions
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>
    /// Where frames come from: <c>rtsp://</c>, <c>rtsps://</c>, <c>rtmp://</c>, <c>http(s)://</c> (HTTP-FLV, HLS)
    /// or a local video file (looped). May carry credentials.
    /// </summary>
    public string Url { get; set; } = "";

    public CameraKind Kind { get; set; } = CameraKind.Fixed;

    /// <summary>The patrol vehicle carrying a <see cref="CameraKind.Patrol"/> camera; its GPS fixes geo-tag the alerts.</summary>
    public string? VehicleId { get; set; }

    /// <summary>RTSP transport: TCP (default; survives NAT and lossy 4G) or UDP.</summary>
    public RtspTransport Transport { get; set; } = RtspTransport.Tcp;

    /// <summary>
    /// No frame for this long and the stream is restarted. Default: twice the frame interval, but at least
    /// <see cref="StreamTimingOptions.MinStallTimeoutSeconds"/> of the camera's kind.
    /// </summary>
    public double? StallTimeoutSeconds { get; set; }

    /// <summary>WGS84 latitude of a fixed camera.</summary>
    public double? Latitude { get; set; }

    /// <summary>WGS84 longitude of a fixed camera.</summary>
    public double? Longitude { get; set; }

    /// <summary>
    /// The management grid the camera belongs to: alerts whose location falls in no grid of the grid file go
    /// here. Optional with a grid file; without either, alerts go to <c>unassigned</c>.
    /// </summary>
    public string GridId { get; set; } = "";

    /// <summary>Image-to-ground reference points of a fixed camera; with them alerts are located where the object stands.</summary>
    public CameraCalibrationOptions? Calibration { get; set; }

    /// <summary>Frames per second handed to detection; ffmpeg drops the rest before they reach us.</summary>
    public double DetectFps { get; set; } = 5;

    /// <summary>Width ffmpeg scales frames to before detection.</summary>
    public int DetectWidth { get; set; } = 640;

    /// <summary>Height ffmpeg scales frames to before detection.</summary>
    public int DetectHeight { get; set; } = 360;

    /// <summary>Bytes in one decoded BGR frame.</summary>
    public int FrameLength => DetectWidth * DetectHeight * 3;
}
