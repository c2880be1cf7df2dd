namespace Surveillance.Alerts.Dispatch;

/// <summary>What alerts tell the command centre about patrol cars nearby, under <c>Dispatch</c>.</summary>
public sealed class DispatchOptions
{
    /// <summary>Vehicles farther than this from the alert's location are not listed.</summary>
    public double NearbyVehicleRadiusMetres { get; set; } = 2000;

    /// <summary>Vehicles whose latest fix is older than this are not listed: nobody knows where they are now.</summary>
    public double NearbyVehicleMaxFixAgeSeconds { get; set; } = 60;

    /// <summary>At most this many vehicles are listed, nearest first.</summary>
    public int NearbyVehicleCount { get; set; } = 3;

    public IEnumerable<string> Validate()
    {
        if (double.IsNaN(NearbyVehicleRadiusMetres) || NearbyVehicleRadiusMetres < 0 || NearbyVehicleRadiusMetres > 100_000)
            yield return $"Dispatch:NearbyVehicleRadiusMetres: must be between 0 and 100000 (was {NearbyVehicleRadiusMetres})";
        if (double.IsNaN(NearbyVehicleMaxFixAgeSeconds) || NearbyVehicleMaxFixAgeSeconds <= 0 || NearbyVehicleMaxFixAgeSeconds > 3600)
            yield return $"Dispatch:NearbyVehicleMaxFixAgeSeconds: must be greater than 0 and at most 3600 (was {NearbyVehicleMaxFixAgeSeconds})";
        if (NearbyVehicleCount is < 0 or > 20)
            yield return $"Dispatch:NearbyVehicleCount: must be between 0 and 20 (was {NearbyVehicleCount})";
    }
}
