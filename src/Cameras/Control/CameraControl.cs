using System.Text.Json;
using System.Text.Json.Nodes;
using Surveillance.Cameras.Inventory;
using Surveillance.Cameras.Placement;
using Surveillance.Ingest;
using Surveillance.Ingest.Health;

namespace Surveillance.Cameras.Control;

/// <summary>
/// The control API's view of the node's cameras: the inventory with each running camera's health, and changes that
/// are written to the inventory file (so that they survive a restart) and applied at once.
/// </summary>
public sealed class CameraControl(LiveInventory inventory, CameraDirectory directory, ICameraPlacement placement, CameraNode node) : ICameraControl
{
    /// <summary>How long a request for a camera's frame waits for the camera's next frame.</summary>
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(5);

    public IReadOnlyList<CameraView> List() => [.. inventory.Current.Records.OrderBy(r => r.Id, StringComparer.Ordinal).Select(View)];

    public CameraView? Find(string id) => RecordOf(id) is { } record ? View(record) : null;

    public JsonObject? Settings(string id)
    {
        if (RecordOf(id) is not { } record)
            return null;
        var json = record.Json;
        json[nameof(CameraOptions.Url)] = SourceUrl.TryParse(record.Camera.Url, out var url, out _) ? url.Redacted : "(unreadable)";
        return json;
    }

    public Task<CameraWrite> PutAsync(string id, JsonElement record, CancellationToken cancellationToken)
    {
        if (Refusal(id, mustExist: false) is { } refused)
            return Task.FromResult(refused);
        // The id first, as in the records the file already has; a body's own Id (the route has checked it matches) gives way.
        var body = new JsonObject { [nameof(CameraOptions.Id)] = id };
        foreach (var (key, value) in JsonNode.Parse(record.GetRawText())!.AsObject())
        {
            if (!string.Equals(key, nameof(CameraOptions.Id), StringComparison.OrdinalIgnoreCase))
                body[key] = value?.DeepClone();
        }
        var existed = RecordOf(id) is not null;
        return ChangeAsync(records =>
        {
            var at = IndexOf(records, id);
            if (at >= 0)
            {
                records[at] = body;
                return at;
            }
            records.Add(body);
            return records.Count - 1;
        }, existed ? CameraWriteOutcome.Replaced : CameraWriteOutcome.Created, cancellationToken);
    }

    public Task<CameraWrite> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (Refusal(id, mustExist: true) is { } refused)
            return Task.FromResult(refused);
        return ChangeAsync(records =>
        {
            var at = IndexOf(records, id);
            if (at < 0)
                return LiveInventory.NoChange;
            records.RemoveAt(at);
            return -1;
        }, CameraWriteOutcome.Deleted, cancellationToken);
    }

    public Task<CameraWrite> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken)
    {
        if (Refusal(id, mustExist: true) is { } refused)
            return Task.FromResult(refused);
        if (RecordOf(id)!.Enabled == enabled)
            return Task.FromResult(CameraWrite.Of(CameraWriteOutcome.Unchanged));
        return ChangeAsync(records =>
        {
            var at = IndexOf(records, id);
            if (at < 0)
                return LiveInventory.NoChange;
            var record = records[at]!.AsObject();
            foreach (var key in record.Select(p => p.Key).Where(k => string.Equals(k, CameraRecordBinder.EnabledKey, StringComparison.OrdinalIgnoreCase)).ToList())
                record.Remove(key);
            record[CameraRecordBinder.EnabledKey] = enabled;
            return at;
        }, CameraWriteOutcome.Updated, cancellationToken);
    }

    public async Task<byte[]?> LatestFrameJpegAsync(string id, CancellationToken cancellationToken) =>
        directory.Find(id) is { } pipeline ? await pipeline.NextFrameJpegAsync(FrameTimeout, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// Applies <paramref name="change"/> to the file. The file, not the inventory last read from it, is the truth: a
    /// camera an operator has just taken out of it (not yet read again) is not found there, and the change answers
    /// <see cref="CameraWriteOutcome.NotFound"/> rather than changing a record that is not there.
    /// </summary>
    private async Task<CameraWrite> ChangeAsync(Func<JsonArray, int> change, CameraWriteOutcome outcome, CancellationToken cancellationToken)
    {
        var notInFile = false;
        var problems = await inventory.ChangeFileAsync(records =>
        {
            var index = change(records);
            notInFile = index == LiveInventory.NoChange;
            return index;
        }, cancellationToken).ConfigureAwait(false);
        if (problems is not null)
            return new CameraWrite(CameraWriteOutcome.Invalid, problems);
        return CameraWrite.Of(notInFile ? CameraWriteOutcome.NotFound : outcome);
    }

    /// <summary>Why the camera cannot be changed here, if it cannot.</summary>
    private CameraWrite? Refusal(string id, bool mustExist)
    {
        var record = RecordOf(id);
        if (mustExist && record is null)
            return CameraWrite.Of(CameraWriteOutcome.NotFound);
        if (record is { Origin.IsFile: false })
            return new CameraWrite(CameraWriteOutcome.Conflict,
                [$"camera '{id}' is defined in configuration ({record.Origin}); change it there, or move it to the inventory file ({CameraSet.Section}:{CameraSet.FileKey})"]);
        if (inventory.FilePath is null)
            return new CameraWrite(CameraWriteOutcome.Conflict,
                [$"no inventory file is configured, so changes could not survive a restart: set {CameraSet.Section}:{CameraSet.FileKey} (e.g. Cameras__File=cameras.json)"]);
        return null;
    }

    private CameraRecord? RecordOf(string id) => inventory.Current.Records.FirstOrDefault(r => r.Id == id);

    /// <summary>The position of the camera's record in the file's array, matched by id as the file spells it.</summary>
    private static int IndexOf(JsonArray records, string id)
    {
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is JsonObject record && record.FirstOrDefault(p => string.Equals(p.Key, nameof(CameraOptions.Id), StringComparison.OrdinalIgnoreCase)).Value is JsonValue value
                && value.TryGetValue<string>(out var recordId) && recordId == id)
                return i;
        }
        return -1;
    }

    private CameraView View(CameraRecord record)
    {
        var camera = record.Camera;
        var kind = Names.Of(camera.Kind);
        var gridId = string.IsNullOrEmpty(camera.GridId) ? null : camera.GridId;
        if (record.Enabled && directory.Find(record.Id) is null && placement.IsShared)
        {
            // Run elsewhere, or by no node yet (never claimed, or more cameras than the cluster has room for).
            var elsewhere = placement.Elsewhere(record.Id) ?? new CameraElsewhere(null, "unowned", Names.Of(ConnectionGrade.None), 0, null);
            return new CameraView(record.Id, camera.Name, kind, gridId, true, elsewhere.State, elsewhere.Grade, elsewhere.Fps, elsewhere.LastFrameAt,
                elsewhere.NodeId, camera.Latitude, camera.Longitude);
        }
        if (!record.Enabled || directory.Find(record.Id) is not { } pipeline)
            return new CameraView(record.Id, camera.Name, kind, gridId, record.Enabled, record.Enabled ? "starting" : "disabled", Names.Of(ConnectionGrade.None),
                0, null, placement.IsShared && !record.Enabled ? null : node.NodeId, camera.Latitude, camera.Longitude);
        var health = pipeline.Health.Snapshot();
        return new CameraView(record.Id, camera.Name, kind, gridId, true, Names.Of(health.State), Names.Of(health.Grade), health.Fps, health.LastFrameAt,
            node.NodeId, camera.Latitude, camera.Longitude);
    }
}
