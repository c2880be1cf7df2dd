namespace Surveillance.Ownership.Run;

/// <summary>Everything one run measured, with the events it was read from.</summary>
public sealed record RunResult(
    DateTime Started,
    DateTime Ended,
    RunSettings Settings,
    string NodeReport,
    string Initial,
    IReadOnlyList<KillRow> Kills,
    FreezeRow Freeze,
    DrainRow Drain,
    IReadOnlyList<OwnershipEvent> Events);
