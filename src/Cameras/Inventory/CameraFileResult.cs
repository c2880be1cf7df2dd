namespace Surveillance.Cameras.Inventory;

/// <summary>What reading the camera file gave: <see cref="CameraFileLoaded"/> or <see cref="CameraFileUnusable"/>.</summary>
/// <param name="Path">The file, as configured.</param>
public abstract record CameraFileResult(string Path);
