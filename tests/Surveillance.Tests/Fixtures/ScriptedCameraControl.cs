using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Surveillance.Cameras.Control;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A stand-in for the node's cameras behind the control API, for the HTTP layer's own tests: it answers what the
/// test scripts and records what reached it. The real cameras' routes are tested against the engine's own control.
/// </summary>
public sealed class ScriptedCameraControl : ICameraControl
{
    public ConcurrentDictionary<string, CameraView> Views { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, JsonObject> SettingsById { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, byte[]> Frames { get; } = new(StringComparer.Ordinal);

    /// <summary>What the next write answers; the views are left as they are.</summary>
    public CameraWrite NextWrite { get; set; } = CameraWrite.Of(CameraWriteOutcome.Updated);

    /// <summary>Every write that reached the control: "PUT cam-1 {record}", "DELETE cam-1", "ENABLE cam-1", "DISABLE cam-1".</summary>
    public ConcurrentQueue<string> Writes { get; } = new();

    public static CameraView View(string id, string? gridId = "grid-001") =>
        new(id, $"Camera {id}", "fixed", gridId, true, "streaming", "good", 5.0, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "node-test",
            31.2304, 121.4737);

    public ScriptedCameraControl With(string id, JsonObject? settings = null, string? gridId = "grid-001")
    {
        Views[id] = View(id, gridId);
        if (settings is not null)
            SettingsById[id] = settings;
        return this;
    }

    public IReadOnlyList<CameraView> List() => [.. Views.Values.OrderBy(v => v.Id, StringComparer.Ordinal)];

    public CameraView? Find(string id) => Views.GetValueOrDefault(id);

    public JsonObject? Settings(string id) => SettingsById.TryGetValue(id, out var settings) ? (JsonObject)settings.DeepClone() : null;

    public Task<CameraWrite> PutAsync(string id, JsonElement record, CancellationToken cancellationToken) =>
        Write($"PUT {id} {record.GetRawText()}");

    public Task<CameraWrite> DeleteAsync(string id, CancellationToken cancellationToken) => Write($"DELETE {id}");

    public Task<CameraWrite> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken) =>
        Write($"{(enabled ? "ENABLE" : "DISABLE")} {id}");

    public Task<byte[]?> LatestFrameJpegAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Frames.GetValueOrDefault(id));

    private Task<CameraWrite> Write(string call)
    {
        Writes.Enqueue(call);
        return Task.FromResult(NextWrite);
    }
}
