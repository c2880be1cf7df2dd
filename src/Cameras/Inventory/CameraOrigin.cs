namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Where a camera record came from, for messages: <c>Cameras:3</c> for the configuration's fourth camera,
/// <c>cameras.json[12]</c> for the thirteenth element of the camera file.
/// </summary>
/// <param name="Source">The configuration section (<c>Cameras</c>) or the file's name (<c>cameras.json</c>).</param>
/// <param name="Index">The camera's number under the section, or its position in the file's array (from 0).</param>
/// <param name="IsFile">Whether the record is an element of a camera file rather than configuration keys.</param>
public readonly record struct CameraOrigin(string Source, int Index, bool IsFile)
{
    public static CameraOrigin Configuration(int index) => new(CameraSet.Section, index, IsFile: false);

    public static CameraOrigin InFile(string fileName, int index) => new(fileName, index, IsFile: true);

    public override string ToString() => IsFile ? $"{Source}[{Index}]" : $"{Source}:{Index}";
}
