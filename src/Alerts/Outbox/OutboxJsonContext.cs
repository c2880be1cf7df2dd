using System.Text.Json.Serialization;

namespace Surveillance.Alerts.Outbox;

[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
