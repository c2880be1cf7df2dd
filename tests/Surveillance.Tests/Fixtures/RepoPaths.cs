namespace Surveillance.Tests.Fixtures;

/// <summary>Files of the repository the tests run against: the real models and the real media.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Models => Path.Combine(Root, "models");

    public static string YoloV5s => Path.Combine(Models, "yolov5s-640.onnx");

    public static string NanoDet => Path.Combine(Models, "nanodet-m-416.onnx");

    public static string Media => Path.Combine(Root, "media");

    public static string VtestAvi => Path.Combine(Media, "vtest.avi");

    public static string PersonJpg => Path.Combine(Media, "person.jpg");

    public static string DogJpg => Path.Combine(Media, "dog.jpg");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Surveillance.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Surveillance.sln not found above the test binaries.");
    }
}
