using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Motion;

namespace Surveillance.Analytics.Scene;

/// <summary>
/// How one camera's picture is analysed: its motion gate (<c>Cameras:N:Motion</c>), the areas it ignores
/// (<c>Cameras:N:Masks</c>) and the per-label filters (<c>Cameras:N:Filters</c>).
/// </summary>
public sealed class SceneOptions
{
    public MotionGateOptions Motion { get; set; } = new();

    /// <summary>Polygons in normalised coordinates (<c>"x,y x,y x,y"</c>) where nothing is detected.</summary>
    public List<string> Masks { get; set; } = [];

    /// <summary>Per COCO label (e.g. <c>person</c>); labels without a filter use the defaults of <see cref="LabelFilterOptions"/>.</summary>
    public Dictionary<string, LabelFilterOptions> Filters { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="key">The camera's configuration key, e.g. <c>Cameras:0</c>.</param>
    public IEnumerable<string> Validate(string key)
    {
        foreach (var error in Motion.Validate($"{key}:Motion"))
            yield return error;
        for (var i = 0; i < Masks.Count; i++)
        {
            if (!NormalizedPolygon.TryParse(Masks[i], out _, out var error))
                yield return $"{key}:Masks:{i}: {error}";
        }
        foreach (var (label, filter) in Filters)
        {
            if (!CocoClasses.TryGetId(label, out _))
                yield return $"{key}:Filters:{label}: '{label}' is not a COCO class name (e.g. person, car, truck)";
            foreach (var error in filter.Validate($"{key}:Filters:{label}"))
                yield return error;
        }
    }

    public SceneMask CreateMask() => new(Masks.Select(NormalizedPolygon.Parse));

    public ObjectFilter CreateFilter() => new(Filters, CreateMask());
}
