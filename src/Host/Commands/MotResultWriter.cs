using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Evaluation;
using Surveillance.Analytics.Geometry;
using Surveillance.Cameras.Analysis;
using Surveillance.Ingest;

namespace Surveillance.Host.Commands;

/// <summary>
/// Writes what a camera's analysis saw as MOTChallenge result lines (<see cref="MotFile.Line"/>): the tracks reported to
/// the rules on every analysed frame, or the detector's raw detections (id -1). Frames are numbered from 1 in the input
/// video (a frame's sequence is its index in the file) and boxes are scaled from the detect size back to the input's pixels.
/// </summary>
internal sealed class MotResultWriter(TextWriter writer, bool detections, double scaleX, double scaleY) : IAnalysisObserver
{
    public int Lines { get; private set; }

    public void Detected(Frame frame, ReadOnlySpan<Detection> found)
    {
        if (!detections)
            return;
        foreach (var detection in found)
            Write(frame, -1, detection.Box, detection.Score);
    }

    public void Reported(Frame frame, bool detected, ReadOnlySpan<SceneObject> objects)
    {
        if (detections)
            return;
        foreach (var tracked in objects)
            Write(frame, checked((int)tracked.TrackId), tracked.Box, tracked.Score);
    }

    private void Write(Frame frame, int id, in BoundingBox box, float score)
    {
        // A box with no area scores nothing and is not a valid MOTChallenge line.
        if (box.Width <= 0 || box.Height <= 0)
            return;
        writer.WriteLine(MotFile.Line(new MotBox(checked((int)frame.Sequence + 1), id,
            box.X1 * scaleX, box.Y1 * scaleY, box.Width * scaleX, box.Height * scaleY, score)));
        Lines++;
    }
}
