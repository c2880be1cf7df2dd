using System.Collections.Concurrent;
using FFMpegCore;

namespace Surveillance.Ingest;

/// <summary>Describes a local video file with ffprobe (through FFMpegCore), for the operator's log.</summary>
/// <remarks>
/// A file is probed once for as long as it is unchanged: FFMpegCore leaves each ffprobe's pipes to the finalizer, so a
/// file camera restarted over and over (added and removed through the inventory) held more pipes with every start until
/// the next full garbage collection.
/// </remarks>
public static class MediaProbe
{
    private const int MaxRemembered = 256;

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified), string> Described = new();

    public static async Task<string> DescribeAsync(SourceUrl source, CancellationToken cancellationToken)
    {
        var path = source.LocalPath ?? throw new ArgumentException("Only local files are probed.", nameof(source));
        var file = new FileInfo(path);
        var key = (file.FullName, file.Exists ? file.Length : -1, file.Exists ? file.LastWriteTimeUtc : default);
        if (Described.TryGetValue(key, out var known))
            return known;
        var description = await ProbeAsync(path, cancellationToken).ConfigureAwait(false);
        if (Described.Count >= MaxRemembered)
            Described.Clear();
        Described[key] = description;
        return description;
    }

    private static async Task<string> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var analysis = await FFProbe.AnalyseAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            var video = analysis.PrimaryVideoStream;
            return video is null
                ? "file has no video stream"
                : $"{video.CodecName} {video.Width}x{video.Height} at {video.AverageFrameRate:0.##} fps, {analysis.Duration.TotalSeconds:0.#} s, looped";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"ffprobe could not read the file ({e.GetType().Name}: {e.Message})";
        }
    }
}
