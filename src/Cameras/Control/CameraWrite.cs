namespace Surveillance.Cameras.Control;

/// <summary>What became of a write to the inventory.</summary>
public enum CameraWriteOutcome
{
    Created,
    Replaced,
    Deleted,
    Updated,
    Unchanged,
    /// <summary>No camera with that id.</summary>
    NotFound,
    /// <summary>The record was refused; <see cref="CameraWrite.Errors"/> names each problem by its key.</summary>
    Invalid,
    /// <summary>The write cannot be made here (the camera is defined in configuration, or no inventory file is set); the message says what to do.</summary>
    Conflict,
}

public sealed record CameraWrite(CameraWriteOutcome Outcome, IReadOnlyList<string> Errors)
{
    public static CameraWrite Of(CameraWriteOutcome outcome) => new(outcome, []);
}
