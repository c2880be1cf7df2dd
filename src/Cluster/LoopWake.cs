using System.Threading.Channels;

namespace Surveillance.Cluster;

/// <summary>
/// The wait between two rounds of a loop that runs on an interval and also at once when told to (a membership change,
/// a commit): wakes pile up into one.
/// </summary>
internal sealed class LoopWake
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Set() => _wake.Writer.TryWrite(true);

    /// <returns>False once <paramref name="stoppingToken"/> is cancelled: the loop ends.</returns>
    public async Task<bool> WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(interval);
        try
        {
            await _wake.Reader.ReadAsync(idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        return true;
    }
}
