namespace Surveillance.Ingest;

/// <summary>Whether a camera stands still or rides on a patrol vehicle.</summary>
public enum CameraKind
{
    /// <summary>A camera mounted at a known place; its latitude and longitude are configured.</summary>
    Fixed,

    /// <summary>A camera on a patrol vehicle streaming over 4G; its position moves.</summary>
    Patrol,
}
