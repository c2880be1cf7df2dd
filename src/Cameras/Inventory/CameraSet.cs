using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// The cameras of the configuration, <c>Cameras:0</c>, <c>Cameras:1</c>, … (each bound by
/// <see cref="CameraRecordBinder"/>), and the camera file named by <c>Cameras:File</c>, which
/// <see cref="CameraInventoryFile"/> reads. Configuration cameras are checked at start, and a problem stops the engine.
/// </summary>
public sealed class CameraSet
{
    public const string Section = "Cameras";

    /// <summary>The key under <see cref="Section"/> that names the camera file rather than a camera.</summary>
    public const string FileKey = "File";

    /// <summary>Every configured camera, in the order of its number, enabled or not.</summary>
    public List<CameraRecord> Records { get; } = [];

    /// <summary>The cameras that run.</summary>
    public IEnumerable<CameraRecord> EnabledRecords => Records.Where(r => r.Enabled);

    /// <summary>The camera file (<c>Cameras:File</c>); null when there is none.</summary>
    public string? File { get; private set; }

    /// <summary>Problems found while binding that are not a single camera's settings; reported by <see cref="Validate"/>.</summary>
    private readonly List<string> _structure = [];

    /// <summary>Binds <c>Cameras</c>; a value that does not convert or an unknown key throws, as the configuration binder does.</summary>
    public void Bind(IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            var key = ConfigurationPath.Combine(Section, child.Key);
            if (string.Equals(child.Key, FileKey, StringComparison.OrdinalIgnoreCase))
            {
                if (child.GetChildren().Any())
                    _structure.Add($"{key}: is the path of the camera file (e.g. Cameras__File=data/cameras.json), not a section");
                else if (!string.IsNullOrWhiteSpace(child.Value))
                    File = child.Value;
                continue;
            }
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                _structure.Add($"{key}: is neither a camera nor the camera file; cameras are numbered (Cameras:0:Url, Cameras:1:Url, …) and Cameras:File names the camera file");
                continue;
            }
            if (!CameraRecordBinder.HasCameraSettings(child))
            {
                _structure.Add($"{key}: has analysis or rule settings but no camera (set at least its Id and Url)");
                continue;
            }
            Records.Add(CameraRecordBinder.Bind(child, CameraOrigin.Configuration(index)));
        }
    }

    public IEnumerable<string> Validate()
    {
        if (Records.Count == 0 && File is null && _structure.Count == 0)
            yield return $"{Section}: at least one camera is required (e.g. Cameras__0__Url=rtsp://host/stream), or a camera file (Cameras__File=data/cameras.json)";

        foreach (var record in Records)
        {
            foreach (var error in CameraRecordValidator.Validate(record, record.Origin.ToString()))
                yield return error;
        }

        foreach (var problem in _structure)
            yield return problem;

        foreach (var duplicate in Records.Where(r => !string.IsNullOrEmpty(r.Id)).GroupBy(r => r.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Section}: camera id '{duplicate.Key}' is used by {duplicate.Count()} cameras; ids must be unique";
    }
}
