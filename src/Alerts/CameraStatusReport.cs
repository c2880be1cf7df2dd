using System.Text.Json;
using System.Text.Json.Serialization;

namespace Surveillance.Alerts;

/// <summary>
/// The retained message on <c>{prefix}/cameras/{cameraId}/status</c>, published on every change of state
/// or grade and every minute: what an operator's dashboard shows for a camera.
/// </summary>
public sealed record CameraStatusReport
{
    public int SchemaVersion { get; init; } = 1;

    public required string CameraId { get; init; }

    public required string CameraKind { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VehicleId { get; init; }

    public required string GridId { get; init; }

    /// <summary><c>starting</c>, <c>online</c>, <c>degraded</c> or <c>offline</c>.</summary>
    public required string State { get; init; }

    /// <summary>Connection quality: <c>good</c>, <c>fair</c>, <c>poor</c>, or <c>none</c> without frames.</summary>
    public required string Grade { get; init; }

    public required double Fps { get; init; }

    public required double ExpectedFps { get; init; }

    public required int ReconnectsLastHour { get; init; }

    public required int StallsLastHour { get; init; }

    public required DateTime? LastFrameAt { get; init; }

    public required DateTime StateSince { get; init; }

    /// <summary>Why the stream last stopped, credentials removed.</summary>
    public required string? LastError { get; init; }

    /// <summary>The camera's URL with credentials replaced by <c>***</c>.</summary>
    public required string Source { get; init; }

    public required string NodeId { get; init; }

    public required DateTime ReportedAt { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, CameraStatusJsonContext.Default.CameraStatusReport);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, Converters = [typeof(UtcMillisecondsConverter)])]
[JsonSerializable(typeof(CameraStatusReport))]
internal sealed partial class CameraStatusJsonContext : JsonSerializerContext;
