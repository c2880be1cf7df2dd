using NetTopologySuite.Geometries;
using Surveillance.Geodesy;

namespace Surveillance.Alerts.Dispatch;

/// <summary>Moves every vertex of a geometry, in place, from <paramref name="crs"/> to WGS84 (X is the longitude).</summary>
internal sealed class ToWgs84Filter(MapCrs crs) : IEntireCoordinateSequenceFilter
{
    public bool Done => false;

    public bool GeometryChanged => true;

    public void Filter(CoordinateSequence seq)
    {
        for (var i = 0; i < seq.Count; i++)
        {
            var wgs = crs.ToWgs84(new GeoPoint(seq.GetY(i), seq.GetX(i)));
            seq.SetX(i, wgs.Lon);
            seq.SetY(i, wgs.Lat);
        }
    }
}
