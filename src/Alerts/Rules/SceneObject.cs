using System.Numerics;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// A tracked object as the rules see it: reported tracks only (confirmed, score judged on the track),
/// its box in frame pixels (its foot point is where zones and lines judge it) and its stillness.
/// </summary>
/// <param name="Score">Detector score the last time the object was seen.</param>
/// <param name="TrackScore">The score judged on the track (the median of its recent detections).</param>
/// <param name="SeenThisFrame">False when the object was not detected on this frame (missed, or the frame was not analysed).</param>
/// <param name="StationarySince">Since when it has not moved (its first sighting if it never has).</param>
/// <param name="Origin">Foot point where the object was first seen (before it was confirmed), in frame pixels.</param>
public readonly record struct SceneObject(
    long TrackId,
    string Label,
    float Score,
    float TrackScore,
    BoundingBox Box,
    bool SeenThisFrame,
    DateTime LastSeen,
    DateTime StationarySince,
    Vector2 Origin);
