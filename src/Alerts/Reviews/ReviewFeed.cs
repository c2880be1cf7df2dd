using System.Threading.Channels;

namespace Surveillance.Alerts.Reviews;

/// <summary>
/// Hands every change of a review item to the live streams subscribed to it. Each subscriber has a buffer of its
/// own, bounded (<see cref="ReviewOptions.StreamBuffer"/>): one that falls that far behind is dropped, its stream
/// ends, and no one else waits for it or grows memory for it.
/// </summary>
public sealed class ReviewFeed(ReviewOptions options, ReviewMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscribers = [];

    public int Count
    {
        get
        {
            lock (_lock)
                return _subscribers.Count;
        }
    }

    /// <param name="maySee">Whether the subscriber may see an item of a grid; it is sent nothing else.</param>
    public Subscription Subscribe(Func<string, bool> maySee)
    {
        var subscription = new Subscription(this, maySee, Channel.CreateBounded<ReviewItem>(new BoundedChannelOptions(options.StreamBuffer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));
        lock (_lock)
            _subscribers.Add(subscription);
        return subscription;
    }

    public void Publish(ReviewItem item)
    {
        List<Subscription>? dropped = null;
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                if (subscriber.MaySee(item.GridId) && !subscriber.Channel.Writer.TryWrite(item))
                    (dropped ??= []).Add(subscriber);
            }
        }
        foreach (var subscriber in dropped ?? [])
        {
            metrics.StreamDropped.Inc();
            subscriber.Dispose();
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
            _subscribers.Remove(subscription);
    }

    /// <summary>One live stream's buffer; its reader completes when the subscriber is dropped or disposed.</summary>
    public sealed class Subscription(ReviewFeed feed, Func<string, bool> maySee, Channel<ReviewItem> channel) : IDisposable
    {
        internal Func<string, bool> MaySee => maySee;

        internal Channel<ReviewItem> Channel => channel;

        public ChannelReader<ReviewItem> Items => channel.Reader;

        public void Dispose()
        {
            feed.Remove(this);
            channel.Writer.TryComplete();
        }
    }
}
