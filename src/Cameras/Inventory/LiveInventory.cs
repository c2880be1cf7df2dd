using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Surveillance.Cameras.Placement;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// The node's inventory while it runs: the cameras of configuration (fixed for the process's life) and those of the
/// inventory file (<c>Cameras:File</c>), which is read again whenever it changes and written back when cameras are
/// changed through the control API. Each new version is applied to the <see cref="CameraDirectory"/> as a whole. A record
/// that is invalid is reported with its index and id and skipped; a file that is not JSON at all keeps the running set.
/// </summary>
public sealed partial class LiveInventory : BackgroundService
{
    /// <summary>How often the file is looked at; a change is applied within about this long.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IReadOnlyList<CameraRecord> _configured;
    private readonly ICameraPlacement _placement;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveInventory> _logger;
    private readonly SemaphoreSlim _changing = new(1, 1);
    private byte[]? _fileHash;
    private CameraInventory _current;

    public LiveInventory(IOptions<CameraSet> cameras, ICameraPlacement placement, TimeProvider time, ILogger<LiveInventory> logger)
    {
        _configured = cameras.Value.Records;
        FilePath = cameras.Value.File is { } file ? Path.GetFullPath(file) : null;
        _placement = placement;
        _time = time;
        _logger = logger;
        _current = CameraInventory.Combine(_configured, new CameraFileLoaded("", [], []));
    }

    /// <summary>The inventory file's full path; null when none is configured.</summary>
    public string? FilePath { get; }

    /// <summary>The inventory as last applied, with the problems of its file.</summary>
    public CameraInventory Current => Volatile.Read(ref _current);

    /// <summary>The file's first reading: its cameras start with the node's.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(force: true, cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (FilePath is null)
            return;
        using var timer = new PeriodicTimer(PollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ReloadAsync(force: false, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
                {
                    LogReloadFailed(e, FilePath);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the file if its content changed since the last reading (or <paramref name="force"/>) and applies it.</summary>
    private async Task ReloadAsync(bool force, CancellationToken cancellationToken)
    {
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (FilePath is null)
            {
                await ApplyAsync(CameraInventory.Combine(_configured, new CameraFileLoaded("", [], [])), cancellationToken).ConfigureAwait(false);
                return;
            }
            byte[]? content = null;
            try
            {
                content = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Being replaced, or briefly locked: the next look will tell.
                if (force)
                    LogUnusable(FilePath, e.Message);
                return;
            }
            var hash = content is null ? [] : SHA256.HashData(content);
            if (!force && _fileHash is not null && hash.AsSpan().SequenceEqual(_fileHash))
                return;
            _fileHash = hash;

            var result = content is null ? CameraInventoryFile.Load(FilePath) : CameraInventoryFile.Parse(FilePath, content);
            switch (result)
            {
                case CameraFileUnusable unusable:
                    LogUnusable(FilePath, unusable.Message);
                    return;
                case CameraFileLoaded loaded:
                    if (loaded.Note is { } note)
                        LogNote(note);
                    await ApplyAsync(CameraInventory.Combine(_configured, loaded), cancellationToken).ConfigureAwait(false);
                    return;
            }
        }
        finally
        {
            _changing.Release();
        }
    }

    private async Task ApplyAsync(CameraInventory inventory, CancellationToken cancellationToken)
    {
        foreach (var line in inventory.Problems.SelectMany(p => p.Lines))
            LogRecordSkipped(line);
        inventory = inventory.KeepingLastValid(Current);
        foreach (var kept in inventory.Kept)
            LogKeptLastValid(kept.Id);
        Volatile.Write(ref _current, inventory);
        await _placement.PlaceAsync(inventory.Records, cancellationToken).ConfigureAwait(false);
        var enabled = inventory.Records.Count(r => r.Enabled);
        LogLoaded(inventory.Records.Count, enabled, inventory.Problems.Count, FilePath ?? "(no Cameras:File)");
    }

    /// <summary>What a change given to <see cref="ChangeFileAsync"/> returns when it leaves the file as it is: nothing is written.</summary>
    internal const int NoChange = -2;

    /// <summary>
    /// Changes the file's records through <paramref name="change"/> (given the file's array as it is on disk, it returns
    /// the index of the record written, -1 for a removal, or <see cref="NoChange"/>) and, if the new file is valid for
    /// that record, writes it atomically and applies it.
    /// </summary>
    /// <returns>Null when written or left as it is; otherwise the problems that refused it.</returns>
    internal async Task<IReadOnlyList<string>?> ChangeFileAsync(Func<JsonArray, int> change, CancellationToken cancellationToken)
    {
        if (FilePath is null)
            throw new InvalidOperationException("No inventory file is configured.");
        await _changing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            JsonArray records;
            if (File.Exists(FilePath))
            {
                var text = await File.ReadAllBytesAsync(FilePath, cancellationToken).ConfigureAwait(false);
                // Only the JSON is read here; the records are bound and checked once, on the changed file below.
                if (ReadArray(text) is not { } onDisk)
                {
                    var unusable = CameraInventoryFile.Parse(FilePath, text) as CameraFileUnusable;
                    return [$"{unusable?.Message ?? $"{FilePath}: cannot be read as a JSON array"}; fix the file before changing cameras through the API"];
                }
                records = onDisk;
            }
            else
            {
                records = [];
            }

            var index = change(records);
            if (index == NoChange)
                return null;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(records, Indented);
            if (CameraInventoryFile.Parse(FilePath, bytes) is not CameraFileLoaded loaded)
                return ["the changed file could not be read back"];
            var inventory = CameraInventory.Combine(_configured, loaded);
            if (index >= 0 && inventory.Problems.FirstOrDefault(p => p.Index == index) is { } problem)
                return problem.Messages;

            await WriteAtomicallyAsync(FilePath, bytes, cancellationToken).ConfigureAwait(false);
            _fileHash = SHA256.HashData(bytes);
            await ApplyAsync(inventory, cancellationToken).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>The file's top-level array, or null when it is not JSON or not an array.</summary>
    private static JsonArray? ReadArray(byte[] content)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        var json = content.AsSpan().StartsWith(bom) ? content.AsSpan(bom.Length) : content;
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonArray;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A reader never sees half a file: the new content goes to a file beside it, which then replaces it.</summary>
    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public override void Dispose()
    {
        _changing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory: {Records} camera(s), {Enabled} enabled, {Skipped} record(s) skipped ({File})")]
    private partial void LogLoaded(int records, int enabled, int skipped, string file);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory: record skipped, the other cameras are not affected: {Problem}")]
    private partial void LogRecordSkipped(string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory: {Message}; the running cameras are kept as they are until the file is fixed ({File})")]
    private partial void LogUnusable(string file, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inventory: camera {CameraId} keeps running with its last valid settings until its record is fixed")]
    private partial void LogKeptLastValid(string cameraId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Inventory: {Note}")]
    private partial void LogNote(string note);

    [LoggerMessage(Level = LogLevel.Error, Message = "Inventory: reading {File} failed; the running cameras are kept as they are")]
    private partial void LogReloadFailed(Exception exception, string file);
}
