using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Surveillance.Benchmarks;

/// <summary>Real inputs for the benchmarks: frame 200 of the bundled vtest.avi at the demo's detect size.</summary>
public static class BenchmarkFrames
{
    public const int Width = 640;
    public const int Height = 480;

    public static string RepoRoot { get; } = FindRoot();

    public static string Model(string file) => Path.Combine(RepoRoot, "models", file);

    /// <summary>Frame 200 of vtest.avi scaled to 640×480, as packed BGR bytes (what ffmpeg hands the engine).</summary>
    public static byte[] Vtest200() => Vtest200(Width, Height);

    /// <summary>Frame 200 of vtest.avi scaled to <paramref name="width"/> × <paramref name="height"/>, packed BGR bytes.</summary>
    public static byte[] Vtest200(int width, int height)
    {
        using var capture = new VideoCapture(Path.Combine(RepoRoot, "media", "vtest.avi"));
        using var frame = new Mat();
        for (var i = 0; i <= 200; i++)
            capture.Read(frame);
        using var scaled = frame.Resize(new Size(width, height));
        var pixels = new byte[width * height * 3];
        Marshal.Copy(scaled.Data, pixels, 0, pixels.Length);
        return pixels;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Surveillance.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Run the benchmarks from inside the repository (Surveillance.sln not found).");
    }
}
