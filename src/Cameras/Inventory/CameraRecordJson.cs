using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Motion;
using Surveillance.Analytics.Scene;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// A camera's bound settings as one JSON object with the keys of <c>Cameras:N:*</c>, leaving out what equals
/// its default. Built from the bound objects rather than from what was written, so that it is canonical: the
/// same settings give the same text whichever source and spelling they came from.
/// </summary>
internal static class CameraRecordJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // Computed properties (FrameLength, EffectiveRules) are not settings; the binder would refuse them.
        IgnoreReadOnlyProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly JsonObject DefaultCamera = Serialize(new CameraOptions());
    private static readonly JsonObject DefaultMotion = Serialize(new MotionGateOptions());
    private static readonly JsonObject DefaultFilter = Serialize(new LabelFilterOptions());
    private static readonly JsonObject DefaultZone = Serialize(new ZoneOptions());
    private static readonly JsonObject DefaultRule = Serialize(new RuleOptions());

    public static JsonObject Settings(CameraOptions camera, SceneOptions scene, CameraRuleOptions rules)
    {
        // The id always comes first, even when empty, so that a file reads camera by camera.
        var json = WithoutDefaults(Serialize(camera), DefaultCamera);
        json.Remove(nameof(CameraOptions.Id));
        json.Insert(0, nameof(CameraOptions.Id), camera.Id);

        if (WithoutDefaults(Serialize(scene.Motion), DefaultMotion) is { Count: > 0 } motion)
            json[nameof(SceneOptions.Motion)] = motion;
        if (scene.Masks.Count > 0)
            json[nameof(SceneOptions.Masks)] = new JsonArray([.. scene.Masks.Select(m => (JsonNode?)m)]);
        var filters = new JsonObject();
        // Labels are case-insensitive; lower case and sorted so that the order they were written in does not matter.
        foreach (var (label, filter) in scene.Filters.OrderBy(f => f.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (WithoutDefaults(Serialize(filter), DefaultFilter) is { Count: > 0 } changed)
                filters[label.ToLowerInvariant()] = changed;
        }
        if (filters.Count > 0)
            json[nameof(SceneOptions.Filters)] = filters;

        if (rules.Zones.Count > 0)
            json[nameof(CameraRuleOptions.Zones)] = new JsonArray([.. rules.Zones.Select(z => (JsonNode)WithoutDefaults(Serialize(z), DefaultZone))]);
        if (rules.Rules.Count > 0)
            json[nameof(CameraRuleOptions.Rules)] = new JsonArray([.. rules.Rules.Select(r => (JsonNode)WithoutDefaults(Serialize(r), DefaultRule))]);
        return json;
    }

    private static JsonObject Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, Options)!.AsObject();

    /// <summary>
    /// The properties of <paramref name="value"/> that differ from those of <paramref name="defaults"/>, moved
    /// (not copied) out of <paramref name="value"/>, which is a throw-away serialisation.
    /// </summary>
    private static JsonObject WithoutDefaults(JsonObject value, JsonObject defaults)
    {
        var result = new JsonObject();
        foreach (var key in value.Select(p => p.Key).ToList())
        {
            var node = value[key];
            if (defaults.TryGetPropertyValue(key, out var fallback) && JsonNode.DeepEquals(node, fallback))
                continue;
            value.Remove(key);
            result[key] = node;
        }
        return result;
    }
}
