using Microsoft.Extensions.Configuration;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Analytics.Geo;
using Surveillance.Analytics.Scene;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Every camera this node decodes, from <c>Cameras:0</c>, <c>Cameras:1</c>, … Each camera's settings belong
/// to three stages that know nothing of each other, so they are bound into three objects: ingest
/// (<see cref="CameraOptions"/>), analysis (<see cref="SceneOptions"/>: <c>Motion</c>, <c>Masks</c>,
/// <c>Filters</c>) and rules (<see cref="CameraRuleOptions"/>: <c>Zones</c>, <c>Rules</c>).
/// </summary>
public sealed class CameraSet
{
    public const string Section = "Cameras";

    private static readonly HashSet<string> SceneKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(SceneOptions.Motion), nameof(SceneOptions.Masks), nameof(SceneOptions.Filters),
    };

    private static readonly HashSet<string> RuleKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(CameraRuleOptions.Zones), nameof(CameraRuleOptions.Rules),
    };

    public List<CameraOptions> Cameras { get; } = [];

    /// <summary>Each camera's analysis settings, by the camera's position in <see cref="Cameras"/>.</summary>
    public List<SceneOptions> Scenes { get; } = [];

    /// <summary>Each camera's zones and rules, by the camera's position in <see cref="Cameras"/>.</summary>
    public List<CameraRuleOptions> RuleSets { get; } = [];

    /// <summary>Configuration sections that carry only analysis or rule settings and no camera; reported by <see cref="Validate"/>.</summary>
    private readonly List<string> _orphans = [];

    /// <summary>
    /// Binds <c>Cameras</c>. The ingest settings are bound strictly with the analysis and rule keys taken out,
    /// so a misspelt ingest key is still reported; each of those keys is bound strictly into its own stage's type.
    /// </summary>
    public void Bind(IConfiguration configuration, Action<BinderOptions> strict)
    {
        var section = configuration.GetSection(Section);
        var ingestOnly = new ConfigurationBuilder()
            .AddInMemoryCollection(section.AsEnumerable().Where(kv => kv.Value is not null && !IsStageKey(kv.Key)))
            .Build();
        var ingestSection = ingestOnly.GetSection(Section);
        ingestSection.Bind(Cameras, strict);

        // The binder fills the list in the order of the children's keys; the stages' settings follow that order.
        var keys = ingestSection.GetChildren().Select(c => c.Key).ToList();
        foreach (var key in keys)
        {
            var camera = section.GetSection(key);
            var scene = new SceneOptions();
            camera.GetSection(nameof(SceneOptions.Motion)).Bind(scene.Motion, strict);
            camera.GetSection(nameof(SceneOptions.Masks)).Bind(scene.Masks, strict);
            camera.GetSection(nameof(SceneOptions.Filters)).Bind(scene.Filters, strict);
            Scenes.Add(scene);

            var rules = new CameraRuleOptions();
            camera.GetSection(nameof(CameraRuleOptions.Zones)).Bind(rules.Zones, strict);
            camera.GetSection(nameof(CameraRuleOptions.Rules)).Bind(rules.Rules, strict);
            RuleSets.Add(rules);
        }
        _orphans.AddRange(section.GetChildren().Select(c => c.Key).Where(k => !keys.Contains(k, StringComparer.OrdinalIgnoreCase)));
    }

    /// <summary>The ground projection of a calibrated camera.</summary>
    public static GroundProjection Project(CameraCalibrationOptions calibration) =>
        GroundProjection.Fit([.. calibration.Points.Select(p => (p.X, p.Y, p.Lat, p.Lon))]);

    private static string? CheckCalibration(CameraCalibrationOptions calibration)
    {
        try
        {
            var projection = Project(calibration);
            return projection.RmsErrorMetres > calibration.MaxErrorMetres
                ? $"the reference points are {projection.RmsErrorMetres:0.0} m (RMS) off the fitted ground plane, more than MaxErrorMetres {calibration.MaxErrorMetres}; check the points"
                : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public IEnumerable<string> Validate()
    {
        if (Cameras.Count == 0)
            yield return $"{Section}: at least one camera is required (e.g. Cameras__0__Url=rtsp://host/stream)";

        for (var i = 0; i < Cameras.Count; i++)
        {
            var key = $"{Section}:{i}";
            var errors = CameraOptionsValidator.Validate(Cameras[i], key).ToList();
            foreach (var error in errors)
                yield return error;
            if (errors.Count == 0 && Cameras[i].Calibration is { } calibration && CheckCalibration(calibration) is { } problem)
                yield return $"{key}:Calibration: {problem}";
            if (i < Scenes.Count)
            {
                foreach (var error in Scenes[i].Validate(key))
                    yield return error;
            }
            if (i < RuleSets.Count)
            {
                foreach (var error in ValidateRules(RuleSets[i], key, Cameras[i]))
                    yield return error;
            }
        }

        foreach (var orphan in _orphans)
            yield return $"{Section}:{orphan}: has analysis or rule settings but no camera (set at least its Id and Url)";

        foreach (var duplicate in Cameras.Where(c => !string.IsNullOrEmpty(c.Id)).GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Section}: camera id '{duplicate.Key}' is used by {duplicate.Count()} cameras; ids must be unique";
    }

    /// <summary>The rules' own checks, and that every label they name is a class the detector knows.</summary>
    private static IEnumerable<string> ValidateRules(CameraRuleOptions rules, string key, CameraOptions camera)
    {
        foreach (var error in rules.Validate(key, camera.DetectWidth, camera.DetectHeight))
            yield return error;
        for (var r = 0; r < rules.Rules.Count; r++)
        {
            foreach (var label in rules.Rules[r].Labels.Where(l => !string.IsNullOrWhiteSpace(l) && !CocoClasses.TryGetId(l, out _)))
                yield return $"{key}:Rules:{r}:Labels: '{label}' is not a COCO class name (e.g. person, car, truck)";
        }
    }

    /// <summary>Whether a full key (<c>Cameras:0:Rules:1:Zone</c>) belongs to the analysis or rule stage.</summary>
    private static bool IsStageKey(string key)
    {
        var parts = key.Split(ConfigurationPath.KeyDelimiter);
        return parts.Length >= 3 && (SceneKeys.Contains(parts[2]) || RuleKeys.Contains(parts[2]));
    }
}
