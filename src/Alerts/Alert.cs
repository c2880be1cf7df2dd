using System.Text.Json.Serialization;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts;

/// <summary>
/// The alert message published to <c>{prefix}/alerts/{gridId}/{cameraId}</c>: one step (<c>new</c>,
/// <c>update</c>, <c>end</c>) in the life of an event a rule raised. Its JSON form is the public contract with
/// dispatch systems (see docs/alert-schema.md): add fields, never change their meaning without raising
/// <see cref="SchemaVersion"/>. Its fields are the wire text; enums become that text through <see cref="WireNames"/>.
/// </summary>
public sealed record Alert
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Unique per alert (UUID v7, so ids sort by creation time).</summary>
    public required string Id { get; init; }

    /// <summary><c>new</c>, <c>update</c> or <c>end</c>: where in its event's life this message stands.</summary>
    public required string Type { get; init; }

    /// <summary>The event this message belongs to; the same in its <c>new</c>, <c>update</c>s and <c>end</c> (UUID v7).</summary>
    public required string EventId { get; init; }

    /// <summary>The configured name of the rule that raised the event.</summary>
    public required string Rule { get; init; }

    /// <summary><c>any</c>, <c>intrusion</c>, <c>line</c>, <c>loitering</c>, <c>crowd</c> or <c>stopped</c>.</summary>
    public required string RuleType { get; init; }

    /// <summary><c>info</c>, <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>, as configured on the rule.</summary>
    public required string Severity { get; init; }

    /// <summary>The tracked object (stable per camera while it is tracked); null for events about a zone (crowd).</summary>
    public required long? TrackId { get; init; }

    /// <summary>The zones the object stands in (a crowd's: its zone).</summary>
    public required IReadOnlyList<string> Zones { get; init; }

    /// <summary>Objects the event is about: 1, or the number of people in a crowd.</summary>
    public required int Count { get; init; }

    /// <summary>Line crossings only: <c>up</c>, <c>down</c>, <c>left</c> or <c>right</c>, as movement in the picture.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Direction { get; init; }

    /// <summary>When the rule started firing.</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When the event ended (the condition last held, or the object was last seen); null until <c>end</c>.</summary>
    public required DateTime? EndedAt { get; init; }

    /// <summary><c>end</c> only: <c>cleared</c>, <c>lost</c>, <c>offline</c>, <c>shutdown</c>, <c>removed</c>, <c>disabled</c>, <c>reconfigured</c> or <c>handover</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndReason { get; init; }

    /// <summary>The highest detector score of the object during the event so far.</summary>
    public required double TopScore { get; init; }

    /// <summary>
    /// Whether a JPEG of the event's best frame goes to <c>{prefix}/snapshots/{cameraId}/{eventId}</c>. It is
    /// published once, just before the <c>end</c>; on <c>new</c> and <c>update</c> this says one will be.
    /// </summary>
    public required bool HasSnapshot { get; init; }

    public required string CameraId { get; init; }

    /// <summary><c>fixed</c> or <c>patrol</c>.</summary>
    public required string CameraKind { get; init; }

    public required string GridId { get; init; }

    /// <summary>COCO class name, e.g. <c>person</c>.</summary>
    public required string Label { get; init; }

    /// <summary>Detector score of the object when last seen.</summary>
    public required double Score { get; init; }

    /// <summary>The object's box when last seen (a crowd's: around everyone counted).</summary>
    public required AlertBox Box { get; init; }

    /// <summary>Where the object is; null when the engine does not know, and then <see cref="LocationUnavailableReason"/> says why.</summary>
    public required AlertLocation? Location { get; init; }

    /// <summary>Patrol vehicles near <see cref="Location"/> with a recent fix, nearest first, so the command centre can send the closest.</summary>
    public IReadOnlyList<AlertVehicle> NearbyVehicles { get; init; } = [];

    /// <summary>Why <see cref="Location"/> is null; absent when there is a location.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LocationUnavailableReason { get; init; }

    /// <summary>UTC capture time of the frame this message describes.</summary>
    public required DateTime ObservedAt { get; init; }

    public required string NodeId { get; init; }

    /// <summary>
    /// The camera's message number: grows by exactly one per alert and survives restarts, so a consumer can
    /// tell a gap (something lost) from a retry (the same <see cref="Id"/> again). Given by the outbox.
    /// </summary>
    public long Seq { get; init; }
}

/// <summary>A patrol vehicle near the alert: its id, distance in metres from the alert's location, and the age of its fix.</summary>
public sealed record AlertVehicle(string VehicleId, double DistanceM, long FixAgeMs);

/// <summary>The object's bounding box in whole pixels of the analysed frame, and that frame's size.</summary>
public sealed record AlertBox(int X1, int Y1, int X2, int Y2, int FrameWidth, int FrameHeight)
{
    /// <summary>Cut to the frame, the top-left rounded down and the bottom-right up, so the whole pixels hold the object.</summary>
    public static AlertBox From(in BoundingBox box, int frameWidth, int frameHeight)
    {
        var inFrame = box.Clamp(frameWidth, frameHeight);
        return new((int)inFrame.X1, (int)inFrame.Y1, (int)MathF.Ceiling(inFrame.X2), (int)MathF.Ceiling(inFrame.Y2), frameWidth, frameHeight);
    }
}

/// <summary>
/// A WGS84 position and what it was derived from: <c>ground-projected</c>, <c>camera</c> or <c>vehicle-gps</c>
/// (the names of <see cref="LocationSource"/>).
/// </summary>
public sealed record AlertLocation(double Lat, double Lon, string Source)
{
    /// <summary>The vehicle whose GPS placed the object (<c>vehicle-gps</c> only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VehicleId { get; init; }

    /// <summary>Milliseconds between the frame and the nearest GPS fix used (<c>vehicle-gps</c> only).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FixAgeMs { get; init; }

    /// <summary>True when that fix is older than the staleness limit: the vehicle may have moved on.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Stale { get; init; }
}
