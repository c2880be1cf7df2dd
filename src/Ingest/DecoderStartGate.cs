namespace Surveillance.Ingest;

/// <summary>
/// Bounds how many decoders are starting at once: a decoder counts as starting from its launch until its first
/// frame or its exit. Each GPU decoder creates a CUDA context, which is slow when many are made at once: 85 cameras
/// launched together on one GPU node all missed the 10 s stall timeout, were killed and relaunched together, and
/// none ever delivered a frame; launched 8 at a time, each group was decoding within 2-7 s. A decoder's stall timer
/// runs from its launch, so time spent waiting here never counts against it.
/// </summary>
public sealed class DecoderStartGate : IDisposable
{
    private readonly SemaphoreSlim? _slots;

    /// <param name="concurrentStarts">Decoders allowed to start at once; 0 for no limit.</param>
    public DecoderStartGate(int concurrentStarts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(concurrentStarts);
        _slots = concurrentStarts == 0 ? null : new SemaphoreSlim(concurrentStarts, concurrentStarts);
    }

    /// <summary>No limit: every decoder starts at once.</summary>
    public static DecoderStartGate Unlimited { get; } = new(0);

    /// <summary>Waits for a start slot; the returned lease gives it back when disposed (once, from any thread).</summary>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots is null)
            return default;
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(new Slot(_slots));
    }

    public void Dispose() => _slots?.Dispose();

    /// <summary>A held start slot.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly Slot? _slot;

        internal Lease(Slot slot) => _slot = slot;

        public void Dispose() => _slot?.Release();
    }

    internal sealed class Slot(SemaphoreSlim slots)
    {
        private int _released;

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
