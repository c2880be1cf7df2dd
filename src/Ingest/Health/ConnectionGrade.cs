namespace Surveillance.Ingest.Health;

/// <summary>
/// Connection quality from the measured frame rate against the expected one, reconnects per hour and
/// stalls per hour.
/// </summary>
public enum ConnectionGrade
{
    /// <summary>Nothing to judge: no frames yet, or none now.</summary>
    None,

    /// <summary>Worse than fair: frames arrive, but too few, or the link keeps breaking.</summary>
    Poor,

    /// <summary>Frame rate at least 60% of expected, at most 10 reconnects and 3 stalls in the last hour.</summary>
    Fair,

    /// <summary>Frame rate at least 90% of expected, at most 2 reconnects and no stall in the last hour.</summary>
    Good,
}
