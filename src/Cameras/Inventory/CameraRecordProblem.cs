namespace Surveillance.Cameras.Inventory;

/// <summary>Why one record of the camera file was skipped: its position, its id if it has one, and each problem by key.</summary>
/// <param name="Origin">The record's place, e.g. <c>cameras.json[3]</c>; its <see cref="CameraOrigin.Index"/> is the position in the file.</param>
/// <param name="Id">The record's <c>Id</c> as written, when it has one that is a string.</param>
/// <param name="Messages">Each problem, named by the key relative to the record, e.g. <c>Url: is required</c>.</param>
public sealed record CameraRecordProblem(CameraOrigin Origin, string? Id, IReadOnlyList<string> Messages)
{
    public int Index => Origin.Index;

    /// <summary>The record as messages name it: <c>cameras.json[3] (id 'cam-7')</c>.</summary>
    public string Where => string.IsNullOrEmpty(Id) ? Origin.ToString() : $"{Origin} (id '{Id}')";

    /// <summary>One line per problem: <c>cameras.json[3] (id 'cam-7'): Url: is required</c>.</summary>
    public IEnumerable<string> Lines => Messages.Select(m => $"{Where}: {m}");
}
