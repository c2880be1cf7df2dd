namespace Surveillance.Alerts.Rules;

/// <summary>
/// A tracked object as the rules see it: reported tracks only (confirmed, score judged on the track),
/// its box in frame pixels and its stillness.
/// </summary>
/// <param name="Score">Detector score the last time the object was seen.</param>
/// <param name="TrackScore">The score judged on the track (the median of its recent detections).</param>
/// <param name="SeenThisFrame">False when the object was not detected on this frame (missed, or the frame was not analysed).</param>
/// <param name="StationarySince">Since when it has not moved (its first sighting if it never has).</param>
/// <param name="OriginX">Foot point where the object was first seen (before it was confirmed), in frame pixels.</param>
/// <param name="OriginY">See <paramref name="OriginX"/>.</param>
public readonly record struct SceneObject(
    long TrackId,
    string Label,
    float Score,
    float TrackScore,
    float X1,
    float Y1,
    float X2,
    float Y2,
    bool SeenThisFrame,
    DateTime LastSeen,
    DateTime StationarySince,
    float OriginX,
    float OriginY)
{
    /// <summary>Where the object touches the ground: the middle of its box's bottom edge.</summary>
    public float FootX => (X1 + X2) / 2;

    public float FootY => Y2;
}
