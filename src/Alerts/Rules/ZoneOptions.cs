namespace Surveillance.Alerts.Rules;

/// <summary>A named area of one camera's picture, under <c>Cameras:N:Zones:M</c>.</summary>
public sealed class ZoneOptions
{
    /// <summary>How rules refer to the zone and how alerts name it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The polygon in normalised image coordinates: <c>"x,y x,y x,y …"</c>, 0,0 top-left, 1,1 bottom-right.</summary>
    public string Points { get; set; } = "";
}
