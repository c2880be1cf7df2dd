using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// The camera file (<c>Cameras:File</c>): a JSON array of camera objects with the keys of <c>Cameras:N:*</c>
/// (<c>Id</c>, <c>Url</c>, <c>Latitude</c>, …, <c>Rules</c>, and <c>Enabled</c>, default true), case-insensitive
/// as configuration is. A record with a problem is skipped and reported; every other record is kept.
/// </summary>
public static class CameraInventoryFile
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private static readonly JsonWriterOptions WriteOptions = new()
    {
        Indented = true,
        // Names are often Chinese: kept readable rather than \u-escaped (the file is never embedded in HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static CameraFileResult Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CameraFileLoaded(path, [], [], $"{path}: does not exist yet, so it adds no cameras (it is created when cameras are first written to it)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CameraFileUnusable(path, $"{path}: cannot be read ({e.Message})");
        }
        return Parse(path, bytes);
    }

    /// <summary>Reads the file's content; <paramref name="path"/> names it in messages and its file name in each record's origin.</summary>
    public static CameraFileResult Parse(string path, ReadOnlyMemory<byte> content)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (content.Span.StartsWith(bom))
            content = content[bom.Length..];

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content, ReadOptions);
        }
        catch (JsonException e)
        {
            var reason = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal) is var cut and > 0 ? e.Message[..cut] : e.Message;
            return new CameraFileUnusable(path, $"{path}: is not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {reason}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                return new CameraFileUnusable(path, $"{path}: the top level must be an array of cameras ([{{\"Id\": …, \"Url\": …}}, …]), not {Describe(root.ValueKind)}");

            var name = System.IO.Path.GetFileName(path);
            var records = new List<CameraRecord>(root.GetArrayLength());
            var problems = new List<CameraRecordProblem>();
            // Every id written claims its place, valid record or not, so that fixing an earlier record never changes which later one runs.
            var ids = new Dictionary<string, CameraOrigin>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                var origin = CameraOrigin.InFile(name, index++);
                var messages = new List<string>();
                var id = IdOf(element);
                if (!string.IsNullOrEmpty(id) && !ids.TryAdd(id, origin))
                    messages.Add($"Id: '{id}' is already the id of {ids[id]}; ids must be unique");
                if (Read(element, origin, messages) is { } record && messages.Count == 0)
                    records.Add(record);
                else
                    problems.Add(new CameraRecordProblem(origin, id, messages));
            }
            return new CameraFileLoaded(path, records, problems);
        }
    }

    /// <summary>
    /// Writes <paramref name="records"/>, in their order, as the camera file: into a temporary file beside it,
    /// flushed to disk, then renamed over it, so that a reader sees the old file or the new one, never half of one.
    /// </summary>
    public static void Write(string path, IEnumerable<CameraRecord> records)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                using (var writer = new Utf8JsonWriter(stream, WriteOptions))
                {
                    writer.WriteStartArray();
                    foreach (var record in records)
                        record.Json.WriteTo(writer);
                    writer.WriteEndArray();
                }
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Binds and checks one element; null (with messages) when it cannot be bound.</summary>
    private static CameraRecord? Read(JsonElement element, CameraOrigin origin, List<string> messages)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            messages.Add($"must be a camera object ({{\"Id\": …, \"Url\": …}}), not {Describe(element.ValueKind)}");
            return null;
        }
        var keys = JsonRecordKeys.Flatten(element, messages);
        CameraRecord record;
        try
        {
            record = CameraRecordBinder.Bind(new ConfigurationBuilder().AddInMemoryCollection(keys).Build(), origin);
        }
        catch (InvalidOperationException e)
        {
            messages.Add(BindingFailure.Describe(e) ?? e.Message);
            return null;
        }
        messages.AddRange(CameraRecordValidator.Validate(record, ""));
        return record;
    }

    private static string? IdOf(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return null;
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, "Id", StringComparison.OrdinalIgnoreCase))
                // A number is an id too, as it is in configuration (a 20-digit device code written without quotes).
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    _ => null,
                };
        }
        return null;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
