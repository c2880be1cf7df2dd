using NetTopologySuite.Geometries;

namespace Surveillance.Alerts.Dispatch;

/// <summary>One grid as loaded, for drawing it: its id, its name if the file gives one, and its polygon in WGS84.</summary>
public sealed record GridShape(string Id, string? Name, Geometry Polygon);
