using Surveillance.Ingest;

namespace Surveillance.Tests.Ingest;

public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Pauses_double_up_to_the_cap_and_start_again_after_a_reset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), jitter: 0);
        var pauses = Enumerable.Range(0, 9).Select(_ => backoff.Next().TotalSeconds).ToArray();
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60, 60], pauses);

        backoff.Reset();
        Assert.Equal(1, backoff.Next().TotalSeconds);
    }

    [Fact]
    public void Jitter_spreads_each_pause_by_at_most_the_given_fraction_and_does_spread_it()
    {
        var seen = new HashSet<long>();
        for (var seed = 0; seed < 200; seed++)
        {
            var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), jitter: 0.2, new Random(seed));
            var pause = backoff.Next();
            Assert.InRange(pause.TotalSeconds, 8, 12);
            seen.Add(pause.Ticks);
        }
        Assert.True(seen.Count > 100, "cameras restarting together must not all wait the same time");
    }
}
