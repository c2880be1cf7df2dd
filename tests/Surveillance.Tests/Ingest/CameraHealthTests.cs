using Surveillance.Ingest.Health;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

/// <summary>State and grade from a hand-driven clock: what operators see for each kind of trouble.</summary>
public sealed class CameraHealthTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private void Stream(CameraHealth health, double fps, TimeSpan duration)
    {
        var interval = TimeSpan.FromSeconds(1 / fps);
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += interval)
        {
            health.FrameReceived();
            _clock.Advance(interval);
        }
    }

    [Fact]
    public void A_camera_starts_comes_online_at_its_first_frame_and_stays_good_at_the_expected_rate()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        health.DecoderStarted();
        Assert.Equal(CameraState.Starting, health.Snapshot().State);
        Assert.Equal(ConnectionGrade.None, health.Snapshot().Grade);

        Stream(health, 5, TimeSpan.FromSeconds(15));
        var snapshot = health.Snapshot();
        Assert.Equal(CameraState.Online, snapshot.State);
        Assert.Equal(ConnectionGrade.Good, snapshot.Grade);
        Assert.InRange(snapshot.Fps, 4.9, 5.1);
        Assert.Equal(0, snapshot.ReconnectsLastHour);
    }

    [Fact]
    public void The_rate_read_while_the_current_second_fills_is_the_rate_of_the_whole_seconds_before_it()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        health.DecoderStarted();
        Stream(health, 5, TimeSpan.FromSeconds(15.6));
        // Three frames of the current second are in; the ten whole seconds before it held 50.
        Assert.Equal(5.0, health.Snapshot().Fps);
        Assert.Equal(ConnectionGrade.Good, health.Snapshot().Grade);
    }

    [Fact]
    public void After_a_short_outage_the_rate_is_that_of_the_stream_since_its_restart_not_with_the_frames_before_it()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        health.DecoderStarted();
        Stream(health, 5, TimeSpan.FromSeconds(20));
        health.DecoderStopped("server gone");
        _clock.Advance(TimeSpan.FromSeconds(2));
        health.DecoderStarted();
        Stream(health, 5, TimeSpan.FromSeconds(5.5));
        // Seconds before the outage are still inside the 10 s window; counting them read 10 fps here.
        Assert.Equal(5.0, health.Snapshot().Fps);
        Assert.Equal(CameraState.Online, health.Snapshot().State);
    }

    [Fact]
    public void Too_few_frames_degrade_the_camera_fair_then_poor()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        health.DecoderStarted();
        Stream(health, 4, TimeSpan.FromSeconds(15)); // 80%
        Assert.Equal((CameraState.Degraded, ConnectionGrade.Fair), (health.Snapshot().State, health.Snapshot().Grade));
        Stream(health, 2, TimeSpan.FromSeconds(15)); // 40%
        Assert.Equal((CameraState.Degraded, ConnectionGrade.Poor), (health.Snapshot().State, health.Snapshot().Grade));
        Stream(health, 5, TimeSpan.FromSeconds(15));
        Assert.Equal((CameraState.Online, ConnectionGrade.Good), (health.Snapshot().State, health.Snapshot().Grade));
    }

    [Fact]
    public void A_stopped_decoder_is_offline_with_its_reason_and_reconnects_and_stalls_count_for_an_hour()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        health.DecoderStarted();
        Stream(health, 5, TimeSpan.FromSeconds(5));

        health.Stalled();
        health.DecoderStopped("no frame for 10 s");
        var down = health.Snapshot();
        Assert.Equal(CameraState.Offline, down.State);
        Assert.Equal(ConnectionGrade.None, down.Grade);
        Assert.Equal("no frame for 10 s", down.LastError);
        Assert.Equal(_clock.GetUtcNow().UtcDateTime, down.StateSince);

        for (var i = 0; i < 3; i++)
        {
            health.DecoderStarted();
            Stream(health, 5, TimeSpan.FromSeconds(5));
        }
        var back = health.Snapshot();
        Assert.Equal(3, back.ReconnectsLastHour);
        Assert.Equal(1, back.StallsLastHour);
        // The stream is back at full rate, so it is online now; the stall in the last hour keeps the grade below good.
        Assert.Equal((CameraState.Online, ConnectionGrade.Fair), (back.State, back.Grade));

        _clock.Advance(TimeSpan.FromMinutes(61));
        Stream(health, 5, TimeSpan.FromSeconds(15));
        var later = health.Snapshot();
        Assert.Equal((0, 0), (later.ReconnectsLastHour, later.StallsLastHour));
        Assert.Equal((CameraState.Online, ConnectionGrade.Good), (later.State, later.Grade));
    }

    [Fact]
    public void Many_reconnects_make_a_poor_link_even_at_full_frame_rate_while_the_camera_is_online()
    {
        var health = new CameraHealth("c", expectedFps: 5, _clock, FreshMetrics.Ingest("c"));
        for (var i = 0; i < 12; i++)
        {
            health.DecoderStarted();
            Stream(health, 5, TimeSpan.FromSeconds(10));
        }
        Assert.Equal((CameraState.Online, ConnectionGrade.Poor), (health.Snapshot().State, health.Snapshot().Grade));
    }
}
