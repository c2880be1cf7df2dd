using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Analysis;

/// <summary>
/// Sees what a camera's analysis saw on each frame, for measuring the pipeline (the <c>track</c> command); the engine
/// runs without one. Called under the analysis' lock, in frame order; the spans are valid only during the call.
/// </summary>
public interface IAnalysisObserver
{
    /// <summary>What the detector returned on a frame the motion gate let through, before the object filter.</summary>
    void Detected(Frame frame, ReadOnlySpan<Detection> detections);

    /// <summary>
    /// The tracks reported to the rules after a frame (confirmed ones only), whether the detector ran on it or the
    /// motion gate held the tracks in place.
    /// </summary>
    /// <param name="detected">Whether the detector ran on the frame.</param>
    void Reported(Frame frame, bool detected, ReadOnlySpan<SceneObject> objects);
}
