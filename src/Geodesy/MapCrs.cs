namespace Surveillance.Geodesy;

/// <summary>The coordinate systems that polygons drawn on web maps come in.</summary>
public enum MapCrs
{
    /// <summary>GPS, OpenStreetMap and every map outside China.</summary>
    Wgs84,

    /// <summary>Gaode (Amap), Tencent, and Google Maps inside mainland China.</summary>
    Gcj02,

    /// <summary>Baidu Maps.</summary>
    Bd09,
}
