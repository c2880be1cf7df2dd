namespace Surveillance.Ingest.Health;

/// <summary>The lower-case names camera kinds, states and grades have in messages and metric labels.</summary>
public static class Names
{
    public static string Of(CameraKind kind) => kind switch
    {
        CameraKind.Fixed => "fixed",
        CameraKind.Patrol => "patrol",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Of(CameraState state) => state switch
    {
        CameraState.Starting => "starting",
        CameraState.Online => "online",
        CameraState.Degraded => "degraded",
        CameraState.Offline => "offline",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Of(ConnectionGrade grade) => grade switch
    {
        ConnectionGrade.None => "none",
        ConnectionGrade.Poor => "poor",
        ConnectionGrade.Fair => "fair",
        ConnectionGrade.Good => "good",
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, null),
    };
}
