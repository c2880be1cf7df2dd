namespace Surveillance.Geodesy;

/// <summary>The names configuration uses for <see cref="MapCrs"/>, in the enum's order.</summary>
public static class MapCrsNames
{
    private static readonly string[] Names = ["wgs84", "gcj02", "bd09"];

    /// <summary>Reads a name, ignoring case and surrounding blanks.</summary>
    public static bool TryParse(string? name, out MapCrs crs)
    {
        var index = Array.IndexOf(Names, name?.Trim().ToLowerInvariant());
        crs = index < 0 ? default : (MapCrs)index;
        return index >= 0;
    }
}
