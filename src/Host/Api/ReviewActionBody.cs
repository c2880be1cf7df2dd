using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Surveillance.Host.Api;

/// <summary>The JSON body of a review action or a mute: <c>comment</c>, <c>assignee</c>, <c>resolution</c>, <c>rule</c>, <c>minutes</c>.</summary>
public sealed record ReviewActionBody(string? Comment, string? Assignee, string? Resolution, string? Rule, double? Minutes)
{
    public const int MaxBytes = 16 * 1024;
    public const int MaxText = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body, or why it is refused; an empty body is an empty object.</summary>
    public static async Task<(ReviewActionBody? Body, string? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
            return (null, $"the body is over {MaxBytes} bytes");
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                return (null, $"the body is over {MaxBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            return (new ReviewActionBody(null, null, null, null, null), null);
        ReviewActionBody? body;
        try
        {
            body = JsonSerializer.Deserialize<ReviewActionBody>(buffer.ToArray(), Json);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not a JSON object of the action's fields: {e.Message}");
        }
        if (body is null)
            return (null, "the body must be a JSON object, not null");
        if (body.Comment?.Length > MaxText || body.Assignee?.Length > MaxText || body.Rule?.Length > MaxText)
            return (null, $"comment, assignee and rule are at most {MaxText} characters");
        return (body, null);
    }
}
