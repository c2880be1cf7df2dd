using System.Numerics;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Analytics.Tracking;

/// <summary>
/// One tracked object as the tracker sees it after a frame: its box (filtered, in frame pixels), its class
/// and scores, and how long it has been still.
/// </summary>
/// <param name="Score">The detector's score when the object was last seen.</param>
/// <param name="TrackScore">The median score of its recent detections: the track's score, which filters judge.</param>
/// <param name="Box">Filtered, in frame pixels.</param>
/// <param name="Origin">Where the object was first seen: the foot point of its first detection.</param>
/// <param name="SeenThisFrame">Matched to a detection on this frame; false while it is predicted (missed, or the frame was not analysed).</param>
/// <param name="StationarySince">Since when its centre has stayed put (its first sighting if it never moved).</param>
public readonly record struct TrackedObject(
    long TrackId,
    TrackState State,
    int ClassId,
    float Score,
    float TrackScore,
    float TopScore,
    BoundingBox Box,
    float VelocityX,
    float VelocityY,
    Vector2 Origin,
    bool SeenThisFrame,
    DateTime FirstSeen,
    DateTime LastSeen,
    DateTime StationarySince,
    bool IsStationary)
{
    public string Label => CocoClasses.Name(ClassId);

    public bool IsConfirmed => State == TrackState.Confirmed;

    /// <summary>Where the object touches the ground, the point zones and lines judge (<see cref="BoundingBox.FootPoint"/>).</summary>
    public Vector2 FootPoint => Box.FootPoint;
}
