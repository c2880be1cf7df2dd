using System.Text.Json;
using System.Text.Json.Serialization;

namespace Surveillance.Ownership;

/// <summary>
/// One line a node writes on stdout, or the orchestrator records beside them: <c>start</c> and <c>stop</c> of a
/// camera's grain, <c>ready</c>, <c>saw-dead</c> (this node's view marked a peer dead), <c>fatal</c> (Orleans told
/// this node it was declared dead), and the orchestrator's own <c>kill</c>, <c>sigstop</c>, <c>sigcont</c>,
/// <c>sigterm</c>, <c>spawn</c> and <c>exit</c>. <see cref="T"/> is Unix milliseconds on the one clock all share.
/// </summary>
public sealed record OwnershipEvent(
    long T,
    string Node,
    int Pid,
    string? Camera,
    string Event,
    string? Reason = null,
    string? Peer = null,
    string? Detail = null)
{
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public string ToJson() => JsonSerializer.Serialize(this, OwnershipEventJson.Default.OwnershipEvent);

    public static OwnershipEvent? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, OwnershipEventJson.Default.OwnershipEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OwnershipEvent))]
internal sealed partial class OwnershipEventJson : JsonSerializerContext;
