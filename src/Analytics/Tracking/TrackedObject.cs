namespace Surveillance.Analytics.Tracking;

/// <summary>
/// One tracked object as the tracker sees it after a frame: its box (filtered, in frame pixels), its class
/// and scores, and how long it has been still.
/// </summary>
/// <param name="Score">The detector's score when the object was last seen.</param>
/// <param name="TrackScore">The median score of its recent detections: the track's score, which filters judge.</param>
/// <param name="OriginX">Where the object was first seen: the foot point (middle of the box's bottom edge) of its first detection.</param>
/// <param name="OriginY">See <paramref name="OriginX"/>.</param>
/// <param name="SeenThisFrame">Matched to a detection on this frame; false while it is predicted (missed, or the frame was not analysed).</param>
/// <param name="StationarySince">Since when its centre has stayed put (its first sighting if it never moved).</param>
public readonly record struct TrackedObject(
    long TrackId,
    TrackState State,
    int ClassId,
    float Score,
    float TrackScore,
    float TopScore,
    float X1,
    float Y1,
    float X2,
    float Y2,
    float VelocityX,
    float VelocityY,
    float OriginX,
    float OriginY,
    bool SeenThisFrame,
    DateTime FirstSeen,
    DateTime LastSeen,
    DateTime StationarySince,
    bool IsStationary)
{
    public string Label => CocoClasses.Name(ClassId);

    public bool IsConfirmed => State == TrackState.Confirmed;

    public float Width => X2 - X1;

    public float Height => Y2 - Y1;

    /// <summary>Where the object touches the ground (the middle of the box's bottom edge), the point zones and lines judge.</summary>
    public (float X, float Y) FootPoint => ((X1 + X2) / 2, Y2);
}
