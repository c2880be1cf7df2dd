using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Surveillance.Ownership.Node;

/// <summary>
/// How a grain design keeps its cameras running: someone must call them. Every node calls every camera's grain each
/// check interval, in parallel, each call bounded by the call timeout; a camera whose activation died is activated
/// again (somewhere) by the next call. A camera whose call is still in flight is not called again until it ends.
/// </summary>
public sealed partial class CameraKeeper(IGrainFactory grains, NodeSettings settings, KeeperGate gate, ILogger<CameraKeeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var cameras = CameraIds.All(settings.Cameras);
        var calls = new Task<bool>?[cameras.Count];
        var answered = new bool[cameras.Count];
        using var timer = new PeriodicTimer(settings.CheckInterval);
        try
        {
            do
            {
                for (var i = 0; i < cameras.Count; i++)
                {
                    if (calls[i] is { IsCompleted: false })
                        continue;
                    if (calls[i] is { IsCompletedSuccessfully: true, Result: true })
                        answered[i] = true;
                    // --keeper-once (to break the design on purpose): a camera is called until it answers once, then never again.
                    if (settings.KeeperOnce && answered[i])
                        continue;
                    calls[i] = CallAsync(cameras[i], stoppingToken);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> CallAsync(string camera, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<ICameraGrain>(camera).Own().WaitAsync(settings.CallTimeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            // Expected while a node is dying or being declared dead: the next tick calls again.
            LogCallFailed(camera, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Camera}: call failed ({Message})")]
    private partial void LogCallFailed(string camera, string message);
}
