using Surveillance.Alerts;

namespace Surveillance.Tests.Alerts;

public sealed class CooldownAlertRuleTests
{
    private static readonly DateTime T0 = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void One_alert_per_label_per_camera_per_cooldown()
    {
        var rule = new CooldownAlertRule(TimeSpan.FromSeconds(10));

        Assert.True(rule.TryAdmit("cam-1", "person", T0));
        Assert.False(rule.TryAdmit("cam-1", "person", T0.AddSeconds(3)));
        Assert.False(rule.TryAdmit("cam-1", "person", T0.AddSeconds(9.9)));
        Assert.True(rule.TryAdmit("cam-1", "car", T0.AddSeconds(1)));      // another label
        Assert.True(rule.TryAdmit("cam-2", "person", T0.AddSeconds(1)));   // another camera
        Assert.True(rule.TryAdmit("cam-1", "person", T0.AddSeconds(10)));  // cooldown over
        Assert.False(rule.TryAdmit("cam-1", "person", T0.AddSeconds(15)));
    }

    [Fact]
    public void A_frame_finished_out_of_order_inside_the_cooldown_is_still_held_back()
    {
        var rule = new CooldownAlertRule(TimeSpan.FromSeconds(10));
        Assert.True(rule.TryAdmit("cam-1", "person", T0.AddSeconds(5)));
        Assert.False(rule.TryAdmit("cam-1", "person", T0.AddSeconds(1)));
        Assert.False(rule.TryAdmit("cam-1", "person", T0.AddSeconds(14)));
    }

    [Fact]
    public void A_zero_cooldown_admits_everything()
    {
        var rule = new CooldownAlertRule(TimeSpan.Zero);
        Assert.True(rule.TryAdmit("cam-1", "person", T0));
        Assert.True(rule.TryAdmit("cam-1", "person", T0));
    }
}
