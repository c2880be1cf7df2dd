namespace Surveillance.Cameras.Inventory;

/// <summary>
/// The camera file was read: its valid records, in file order, and why each other record was skipped. A file
/// that does not exist reads as no cameras, with a <see cref="Note"/> saying so.
/// </summary>
public sealed record CameraFileLoaded(string Path, IReadOnlyList<CameraRecord> Records, IReadOnlyList<CameraRecordProblem> Problems, string? Note = null)
    : CameraFileResult(Path);
