using System.Text.Json;
using System.Text.Json.Nodes;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A camera inventory file (<c>Cameras:File</c>) in a directory of its own, with one link to the bundled video per
/// camera, so that each camera's ffmpeg can be told from the others' by its command line.
/// </summary>
public sealed class TemporaryInventory : IDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public TemporaryInventory()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("surveillance-inventory-").FullName;
        Path = System.IO.Path.Combine(Directory, "cameras.json");
    }

    public string Directory { get; }

    public string Path { get; }

    /// <summary>A video of the camera's own: a link to the bundled walkway video named after it.</summary>
    public string VideoOf(string cameraId)
    {
        var link = System.IO.Path.Combine(Directory, $"{cameraId}.avi");
        if (!File.Exists(link))
            File.CreateSymbolicLink(link, RepoPaths.VtestAvi);
        return link;
    }

    /// <summary>A small fixed camera on its own video that raises an event for every person it tracks.</summary>
    public JsonObject Camera(string id, string severity = "info") => new()
    {
        ["Id"] = id,
        ["Name"] = $"Test camera {id}",
        ["Url"] = VideoOf(id),
        ["Kind"] = "fixed",
        ["Latitude"] = 31.2304,
        ["Longitude"] = 121.4737,
        ["GridId"] = "grid-inv",
        ["DetectFps"] = 4,
        ["DetectWidth"] = 320,
        ["DetectHeight"] = 240,
        ["Rules"] = new JsonArray(new JsonObject
        {
            ["Name"] = "people",
            ["Type"] = "any",
            ["Severity"] = severity,
            ["Labels"] = new JsonArray("person"),
        }),
    };

    /// <summary>Rewrites the file in place, as an editor or a script would.</summary>
    public void Write(IEnumerable<JsonNode> records) => File.WriteAllText(Path, new JsonArray([.. records.Select(r => r.DeepClone())]).ToJsonString(Indented));

    public void WriteText(string text) => File.WriteAllText(Path, text);

    /// <summary>The ffmpeg processes (children of <paramref name="parent"/>) decoding the camera's own video.</summary>
    public IReadOnlyList<int> DecodersOf(string cameraId, int? parent = null) =>
        [.. ProcessTable.ChildrenNamed("ffmpeg", parent ?? Environment.ProcessId)
            .Where(pid => ProcessTable.CommandLine(pid).Contains(VideoOf(cameraId), StringComparison.Ordinal))];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
