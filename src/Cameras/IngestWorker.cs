using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;

using Surveillance.Cameras.Detectors;
namespace Surveillance.Cameras;

/// <summary>
/// Runs one supervised stream per camera and feeds its frames to the scheduler. Each camera lives in its
/// own task: a camera whose source fails is restarted by its supervisor and never stops the others.
/// </summary>
public sealed partial class IngestWorker : BackgroundService
{
    private readonly IReadOnlyList<CameraOptions> _cameras;
    private readonly ILogger<IngestWorker> _logger;
    private readonly DecoderStartGate _startGate;

    public IngestWorker(IOptions<CameraSet> cameras, IOptions<IngestOptions> ingest, LatestFrameScheduler scheduler,
        ILoggerFactory loggerFactory, TimeProvider time)
    {
        _cameras = [.. cameras.Value.EnabledRecords.Select(r => r.Camera)];
        _logger = loggerFactory.CreateLogger<IngestWorker>();
        _startGate = new DecoderStartGate(ingest.Value.EffectiveMaxConcurrentStarts);
        Supervisors = _cameras.ToDictionary(
            c => c.Id,
            c => new StreamSupervisor(c, ingest.Value, scheduler.Offer, loggerFactory, time, _startGate),
            StringComparer.Ordinal);
    }

    /// <summary>Each camera's supervisor, by camera id; their health feeds status messages and metrics.</summary>
    public IReadOnlyDictionary<string, StreamSupervisor> Supervisors { get; }

    public override void Dispose()
    {
        base.Dispose();
        _startGate.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_cameras.Select(camera => Task.Run(() => RunCameraAsync(camera, stoppingToken), stoppingToken)));

    private async Task RunCameraAsync(CameraOptions camera, CancellationToken stoppingToken)
    {
        var source = SourceUrl.Parse(camera.Url);
        var description = source.Kind == SourceKind.File
            ? await MediaProbe.DescribeAsync(source, stoppingToken).ConfigureAwait(false)
            : $"{source.Kind.ToString().ToUpperInvariant()} stream";
        LogCameraConfigured(camera.Id, camera.Name, source.Redacted, description);
        await Supervisors[camera.Id].RunAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera {CameraId} ({CameraName}): {Source}: {Description}")]
    private partial void LogCameraConfigured(string cameraId, string cameraName, string source, string description);
}
