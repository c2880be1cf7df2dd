using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Surveillance.Alerts.Reviews;

/// <summary>The wire form of review items and events: camelCase JSON, timestamps as the alerts write them.</summary>
public static class ReviewJson
{
    public static byte[] Serialize(ReviewItem item) => JsonSerializer.SerializeToUtf8Bytes(item, ReviewJsonContext.Default.ReviewItem);

    public static string ToText(ReviewItem item) => JsonSerializer.Serialize(item, ReviewJsonContext.Default.ReviewItem);

    public static ReviewItem Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ReviewJsonContext.Default.ReviewItem) ?? throw new JsonException("a review item is null");

    public static string ToText(EventView view) => JsonSerializer.Serialize(view, ReviewJsonContext.Default.EventView);

    /// <summary>For the HTTP API, so that it writes items and events exactly as the reviews topic does.</summary>
    public static JsonTypeInfo<ReviewItem> ItemInfo => ReviewJsonContext.Default.ReviewItem;

    public static JsonTypeInfo<IReadOnlyList<ReviewItem>> ItemsInfo => ReviewJsonContext.Default.IReadOnlyListReviewItem;

    public static JsonTypeInfo<EventView> EventInfo => ReviewJsonContext.Default.EventView;

    public static JsonTypeInfo<IReadOnlyList<EventView>> EventsInfo => ReviewJsonContext.Default.IReadOnlyListEventView;

    public static JsonTypeInfo<Mute> MuteInfo => ReviewJsonContext.Default.Mute;

    public static JsonTypeInfo<IReadOnlyList<Mute>> MutesInfo => ReviewJsonContext.Default.IReadOnlyListMute;
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    Converters = [typeof(UtcMillisecondsConverter)])]
[JsonSerializable(typeof(ReviewItem))]
[JsonSerializable(typeof(EventView))]
[JsonSerializable(typeof(IReadOnlyList<ReviewItem>))]
[JsonSerializable(typeof(IReadOnlyList<EventView>))]
[JsonSerializable(typeof(Mute))]
[JsonSerializable(typeof(IReadOnlyList<Mute>))]
internal sealed partial class ReviewJsonContext : JsonSerializerContext;
