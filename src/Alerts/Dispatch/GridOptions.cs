namespace Surveillance.Alerts.Dispatch;

/// <summary>The management grids alerts are routed to, under <c>Grids</c>.</summary>
public sealed class GridOptions
{
    /// <summary>A GeoJSON FeatureCollection of Polygon/MultiPolygon features, one per grid; empty: no grid file.</summary>
    public string File { get; set; } = "";

    /// <summary>The feature property that holds the grid id.</summary>
    public string IdProperty { get; set; } = "gridId";

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrEmpty(File) && !System.IO.File.Exists(File))
            yield return $"Grids:File: file '{File}' does not exist";
        if (string.IsNullOrWhiteSpace(IdProperty))
            yield return "Grids:IdProperty: is required";
    }
}
