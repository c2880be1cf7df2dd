using Microsoft.Extensions.Configuration;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Scene;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Binds one camera's keys (<c>Id</c>, <c>Url</c>, …, <c>Motion</c>, <c>Rules</c>, <c>Enabled</c>) into a
/// <see cref="CameraRecord"/>, strictly: a key that no setting has is an error, not ignored. Configuration
/// cameras and camera-file records both go through here, so they take the same keys with the same errors.
/// </summary>
public static class CameraRecordBinder
{
    /// <summary>Whether the camera runs; defaults to true. Belongs to the record, not to any stage.</summary>
    public const string EnabledKey = "Enabled";

    private static readonly HashSet<string> SceneKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(SceneOptions.Motion), nameof(SceneOptions.Masks), nameof(SceneOptions.Filters),
    };

    private static readonly HashSet<string> RuleKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(CameraRuleOptions.Zones), nameof(CameraRuleOptions.Rules),
    };

    private static readonly Action<BinderOptions> Strict = options => options.ErrorOnUnknownConfiguration = true;

    /// <summary>
    /// Binds the camera under <paramref name="camera"/>: a section such as <c>Cameras:3</c>, or a configuration
    /// holding one file record's keys at its top level. The ingest settings are bound with the analysis, rule and
    /// <c>Enabled</c> keys taken out, so a misspelt ingest key is still reported; each of those keys is bound
    /// strictly into its own stage's type.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// A value does not convert or a key is unknown; the configuration binder's message, which names the key
    /// (see <see cref="BindingFailure.Describe"/>).
    /// </exception>
    public static CameraRecord Bind(IConfiguration camera, CameraOrigin origin)
    {
        var path = camera is IConfigurationSection section ? section.Path : "";
        var ingest = new List<KeyValuePair<string, string?>>();
        // Stage sections are bound only when present: binding an absent one costs as much as binding a present one.
        var stages = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in camera.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
                continue;
            if (IsCameraKey(key))
                ingest.Add(KeyValuePair.Create(path.Length == 0 ? key : ConfigurationPath.Combine(path, key), (string?)value));
            else
                stages.Add(FirstSegment(key));
        }
        var ingestOnly = new ConfigurationBuilder().AddInMemoryCollection(ingest).Build();
        // Bound at the same path as the original, so the binder's messages name the key as the operator wrote it.
        var options = new CameraOptions();
        (path.Length == 0 ? (IConfiguration)ingestOnly : ingestOnly.GetSection(path)).Bind(options, Strict);

        var scene = new SceneOptions();
        if (stages.Contains(nameof(SceneOptions.Motion)))
            camera.GetSection(nameof(SceneOptions.Motion)).Bind(scene.Motion, Strict);
        if (stages.Contains(nameof(SceneOptions.Masks)))
            camera.GetSection(nameof(SceneOptions.Masks)).Bind(scene.Masks, Strict);
        if (stages.Contains(nameof(SceneOptions.Filters)))
            camera.GetSection(nameof(SceneOptions.Filters)).Bind(scene.Filters, Strict);

        var rules = new CameraRuleOptions();
        if (stages.Contains(nameof(CameraRuleOptions.Zones)))
            camera.GetSection(nameof(CameraRuleOptions.Zones)).Bind(rules.Zones, Strict);
        if (stages.Contains(nameof(CameraRuleOptions.Rules)))
            camera.GetSection(nameof(CameraRuleOptions.Rules)).Bind(rules.Rules, Strict);

        return new CameraRecord(options, scene, rules, Enabled(camera, path), origin);
    }

    /// <summary>Whether <paramref name="camera"/> has any ingest setting, rather than only analysis, rule or <c>Enabled</c> keys.</summary>
    public static bool HasCameraSettings(IConfiguration camera) =>
        camera.AsEnumerable(makePathsRelative: true).Any(kv => kv.Value is not null && IsCameraKey(kv.Key));

    private static bool Enabled(IConfiguration camera, string path)
    {
        var value = camera[EnabledKey];
        if (string.IsNullOrEmpty(value))
            return true;
        if (bool.TryParse(value, out var enabled))
            return enabled;
        // Worded as the configuration binder words a conversion failure, so it is reported the same way.
        var key = path.Length == 0 ? EnabledKey : ConfigurationPath.Combine(path, EnabledKey);
        throw new InvalidOperationException($"Failed to convert configuration value '{value}' at '{key}' to type 'System.Boolean'.");
    }

    /// <summary>Whether a key relative to the camera (<c>Url</c>, <c>Calibration:Points:0:X</c>) is an ingest setting.</summary>
    private static bool IsCameraKey(string relativeKey)
    {
        var first = FirstSegment(relativeKey);
        return !SceneKeys.Contains(first) && !RuleKeys.Contains(first)
               && !(first.Length == relativeKey.Length && string.Equals(first, EnabledKey, StringComparison.OrdinalIgnoreCase));
    }

    private static string FirstSegment(string relativeKey)
    {
        var delimiter = relativeKey.IndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
        return delimiter < 0 ? relativeKey : relativeKey[..delimiter];
    }
}
