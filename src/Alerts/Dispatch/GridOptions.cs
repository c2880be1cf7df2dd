using Surveillance.Geodesy;

namespace Surveillance.Alerts.Dispatch;

/// <summary>The management grids alerts are routed to, under <c>Grids</c>.</summary>
public sealed class GridOptions
{
    /// <summary>A GeoJSON FeatureCollection of Polygon/MultiPolygon features, one per grid; empty: no grid file.</summary>
    public string File { get; set; } = "";

    /// <summary>The feature property that holds the grid id.</summary>
    public string IdProperty { get; set; } = "gridId";

    /// <summary>
    /// The coordinate system the file's polygons were drawn in: <c>wgs84</c>, <c>gcj02</c> (Gaode/Amap, Tencent) or
    /// <c>bd09</c> (Baidu). They are converted to WGS84 when the file is loaded.
    /// </summary>
    public string Crs { get; set; } = "wgs84";

    /// <summary><see cref="Crs"/> read; WGS84 when it is not valid (which validation reports).</summary>
    public MapCrs MapCrs => MapCrsNames.TryParse(Crs, out var crs) ? crs : MapCrs.Wgs84;

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(File) && !System.IO.File.Exists(File))
            yield return $"Grids:File: file '{File}' does not exist";
        if (string.IsNullOrWhiteSpace(IdProperty))
            yield return "Grids:IdProperty: is required";
        if (!MapCrsNames.TryParse(Crs, out _))
            yield return $"Grids:Crs: '{Crs}' is not a known coordinate system (wgs84: GPS, OpenStreetMap; gcj02: Gaode/Amap, Tencent; bd09: Baidu)";
    }
}
