namespace Surveillance.Cameras.Inventory;

/// <summary>
/// The camera file could not be taken as a list of cameras at all (not JSON, not an array, unreadable), so no
/// record of it can be trusted; whoever holds cameras from an earlier read keeps them.
/// </summary>
/// <param name="Message">Names the file and the problem, with the position of a JSON error.</param>
public sealed record CameraFileUnusable(string Path, string Message) : CameraFileResult(Path);
