using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Surveillance.Host.Api;

/// <summary>The body of <c>PUT /api/cameras/{id}</c>: a camera's record as a JSON object, or what is wrong with it.</summary>
public sealed record CameraRecordBody(JsonElement Record, string? Error)
{
    /// <summary>Far more than any camera's record; keeps a careless or hostile client from filling memory.</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    private static CameraRecordBody Refused(string error) => new(default, error);

    /// <summary>
    /// Reads the body, at most <see cref="MaxBytes"/>, and gives it the id in the path: a body that names an id
    /// must name that one; one that names none gets it.
    /// </summary>
    public static async Task<CameraRecordBody> ReadAsync(HttpRequest request, string routeId, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
            return Refused($"the body is {request.ContentLength} bytes; at most {MaxBytes} bytes (1 MiB) are accepted");
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                    return Refused($"the body is over {MaxBytes} bytes (1 MiB), the most that is accepted");
                buffer.Write(chunk, 0, read);
            }
            bytes = buffer.ToArray();
        }
        if (bytes.Length == 0)
            return Refused("the body is empty; send the camera's record as a JSON object");

        JsonObject record;
        try
        {
            // Parsed whole here, so that every fault (a key given twice too) is found before anything is written.
            using var document = JsonDocument.Parse(bytes, Parsing);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Refused($"the body must be a JSON object (the camera's record), not {KindOf(document.RootElement.ValueKind)}");
            record = JsonObject.Create(document.RootElement.Clone())!;
        }
        catch (JsonException e)
        {
            return Refused($"the body is not valid JSON: {e.Message}");
        }

        var ids = record.Where(p => string.Equals(p.Key, "Id", StringComparison.OrdinalIgnoreCase)).ToList();
        if (ids.Count == 0)
            record["Id"] = routeId;
        foreach (var (key, value) in ids)
        {
            if (value is not JsonValue id || id.GetValueKind() != JsonValueKind.String)
                return Refused($"the body's {key} must be a string (the camera id, '{routeId}')");
            if (!string.Equals(id.GetValue<string>(), routeId, StringComparison.Ordinal))
                return Refused($"the body's {key} '{id.GetValue<string>()}' is not the id in the path, '{routeId}'; a camera's id cannot be changed by a PUT");
        }
        return new CameraRecordBody(JsonSerializer.SerializeToElement(record), null);
    }

    private static string KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}
