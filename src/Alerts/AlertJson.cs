using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Surveillance.Alerts;

/// <summary>The wire form of alerts: camelCase JSON, timestamps in UTC ISO-8601 with milliseconds.</summary>
public static class AlertJson
{
    public static byte[] Serialize(Alert alert) => JsonSerializer.SerializeToUtf8Bytes(alert, AlertJsonContext.Default.Alert);

    public static Alert? Deserialize(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, AlertJsonContext.Default.Alert);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(UtcMillisecondsConverter)])]
[JsonSerializable(typeof(Alert))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;

/// <summary>Writes <c>2026-11-26T12:44:24.123Z</c>: always UTC, always three decimals, so consumers parse one format.</summary>
internal sealed class UtcMillisecondsConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture));
}
