namespace Surveillance.Ingest;

/// <summary>
/// Reads fixed-size frames from a decoder's stdout with blocking reads on a thread of its own, and hands
/// each frame to a callback on that thread. Asynchronous pipe reads wake the thread pool for every piece the
/// kernel delivers (ffmpeg writes a frame in 32 KiB pieces), and a hand-over through a channel wakes it once
/// per frame; in the end-to-end benchmark each cost more CPU than the reading itself.
/// </summary>
internal sealed class PipeFrameReader
{
    private readonly Stream _pipe;
    private readonly FramePool _pool;
    private readonly Action<Frame> _onFrame;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<long, DateTime>? _timeOf;
    private long _nextSequence;

    /// <param name="onFrame">Takes ownership of each frame; runs on the reading thread, so it must not block.</param>
    /// <param name="timeOf">
    /// The time a frame of a given sequence number is stamped with; null: the time it was read (live sources). A
    /// recording read faster than real time is stamped with its own timeline, so that time-based stages see it as recorded.
    /// </param>
    public PipeFrameReader(Stream pipe, FramePool pool, long firstSequence, Action<Frame> onFrame, string threadName,
        Func<long, DateTime>? timeOf = null)
    {
        _timeOf = timeOf;
        _pipe = pipe;
        _pool = pool;
        _onFrame = onFrame;
        _nextSequence = firstSequence;
        new Thread(Run) { IsBackground = true, Name = threadName }.Start();
    }

    /// <summary>The sequence number the next frame would carry; final once <see cref="Ended"/> completes.</summary>
    public long NextSequence => Interlocked.Read(ref _nextSequence);

    /// <summary>Completes when the pipe has ended (the decoder exited or was killed); faults if the callback threw.</summary>
    public Task Ended => _ended.Task;

    private void Run()
    {
        var length = _pool.FrameLength;
        try
        {
            while (true)
            {
                var frame = _pool.Rent();
                int read;
                try
                {
                    read = _pipe.ReadAtLeast(frame.Buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
                }
                catch
                {
                    frame.Release();
                    throw;
                }
                if (read < length)
                {
                    frame.Release();
                    break;
                }
                frame.Stamp(_nextSequence, _timeOf is null ? DateTime.UtcNow : _timeOf(_nextSequence));
                Interlocked.Increment(ref _nextSequence);
                _onFrame(frame);
            }
            _ended.TrySetResult();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The decoder was killed and its pipe closed under the read: the end of the stream.
            _ended.TrySetResult();
        }
        catch (Exception e)
        {
            _ended.TrySetException(e);
        }
    }
}
