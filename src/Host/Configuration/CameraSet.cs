using Surveillance.Ingest;

namespace Surveillance.Host.Configuration;

/// <summary>Every camera this node decodes, from <c>Cameras:0</c>, <c>Cameras:1</c>, …</summary>
public sealed class CameraSet
{
    public const string Section = "Cameras";

    public List<CameraOptions> Cameras { get; } = [];

    public IEnumerable<string> Validate()
    {
        if (Cameras.Count == 0)
            yield return $"{Section}: at least one camera is required (e.g. Cameras__0__Url=rtsp://host/stream)";

        for (var i = 0; i < Cameras.Count; i++)
        {
            foreach (var error in CameraOptionsValidator.Validate(Cameras[i], $"{Section}:{i}"))
                yield return error;
        }

        foreach (var duplicate in Cameras.Where(c => !string.IsNullOrEmpty(c.Id)).GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Section}: camera id '{duplicate.Key}' is used by {duplicate.Count()} cameras; ids must be unique";
    }
}
