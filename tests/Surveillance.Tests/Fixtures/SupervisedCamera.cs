using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Surveillance.Ingest;

namespace Surveillance.Tests.Fixtures;

/// <summary>A camera's supervisor running in the background, with the time each frame arrived.</summary>
public sealed class SupervisedCamera : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private readonly ConcurrentQueue<DateTime> _frames = new();

    public SupervisedCamera(CameraOptions camera, IngestOptions ingest)
    {
        Supervisor = new StreamSupervisor(camera, ingest, frame =>
        {
            _frames.Enqueue(DateTime.UtcNow);
            frame.Release();
        }, NullLoggerFactory.Instance, TimeProvider.System, FreshMetrics.Ingest(camera.Id));
        _run = Task.Run(() => Supervisor.RunAsync(_stop.Token));
    }

    public StreamSupervisor Supervisor { get; }

    public int FrameCount => _frames.Count;

    /// <summary>A fixed camera at 5 fps on <paramref name="url"/>, detected small (the decoder's cost is not the point).</summary>
    public static CameraOptions Camera(string id, string url, double? stallTimeout = null) => new()
    {
        Id = id, Url = url, GridId = "g", Latitude = 1, Longitude = 1, DetectFps = 5, DetectWidth = 320, DetectHeight = 240,
        StallTimeoutSeconds = stallTimeout,
    };

    /// <summary>Waits for a frame that arrived after <paramref name="since"/>; returns when it came, or null on timeout.</summary>
    public async Task<DateTime?> FirstFrameAfterAsync(DateTime since, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var frame = _frames.LastOrDefault();
            if (frame > since)
                return _frames.First(f => f > since);
            await Task.Delay(50);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(20));
        _stop.Dispose();
    }
}
