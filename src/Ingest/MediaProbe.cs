using FFMpegCore;

namespace Surveillance.Ingest;

/// <summary>Describes a local video file with ffprobe (through FFMpegCore), for the operator's log.</summary>
public static class MediaProbe
{
    public static async Task<string> DescribeAsync(SourceUrl source, CancellationToken cancellationToken)
    {
        var path = source.LocalPath ?? throw new ArgumentException("Only local files are probed.", nameof(source));
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
