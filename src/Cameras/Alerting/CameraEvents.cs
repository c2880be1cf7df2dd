using Surveillance.Cameras.Analysis;
namespace Surveillance.Cameras.Alerting;

/// <summary>The event messages one frame of one camera produced, handed from the detection stage to the alert stage.</summary>
/// <param name="AnalysedFrameCapturedAt">
/// When the detected frame these messages came from was captured, for the capture-to-publish latency; null
/// for messages no detection caused (a camera gone offline, the engine stopping, a frame the motion gate held back).
/// </param>
public sealed record CameraEvents(CameraPipeline Camera, EventOutput[] Items, DateTime? AnalysedFrameCapturedAt = null);
