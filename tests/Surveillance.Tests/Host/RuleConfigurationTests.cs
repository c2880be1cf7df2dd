using Surveillance.Host;
using Surveillance.Host.Configuration;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>Zones, rules, masks, filters and the motion gate are checked at start, one line per problem naming the key.</summary>
public sealed class RuleConfigurationTests
{
    private static IReadOnlyList<string> ErrorsFor(params string[] args) =>
        StartupCheck.ErrorsFor(["--Cameras:0:DetectWidth=640", "--Cameras:0:DetectHeight=480", .. args]);

    private static string[] Rule(string type, params string[] settings) =>
        ["--Cameras:0:Rules:0:Name=r", $"--Cameras:0:Rules:0:Type={type}", .. settings.Select(s => $"--Cameras:0:Rules:0:{s}")];

    private static readonly string[] Zone = ["--Cameras:0:Zones:0:Name=gate", "--Cameras:0:Zones:0:Points=0.1,0.1 0.5,0.1 0.5,0.5"];

    /// <summary>The worked configuration of docs/rules.md, for the demo video.</summary>
    public static readonly string[] WorkedExample =
    [
        "--Alerts:TimeZone=Asia/Shanghai",
        "--Cameras:0:Motion:RecheckSeconds=5",
        "--Cameras:0:Masks:0=0,0 1,0 1,0.08 0,0.08",
        "--Cameras:0:Filters:person:MinScore=0.6",
        "--Cameras:0:Filters:person:MaxRatio=1.2",
        "--Cameras:0:Zones:0:Name=sign",
        "--Cameras:0:Zones:0:Points=0.45,0.38 0.54,0.38 0.54,0.52 0.45,0.52",
        "--Cameras:0:Zones:1:Name=walkway-centre",
        "--Cameras:0:Zones:1:Points=0.45,0.38 0.65,0.38 0.65,0.52 0.45,0.52",
        "--Cameras:0:Zones:2:Name=car-park",
        "--Cameras:0:Zones:2:Points=0.80,0.02 1.00,0.02 1.00,0.20 0.80,0.20",
        "--Cameras:0:Rules:0:Name=walkway-crossing", "--Cameras:0:Rules:0:Type=line", "--Cameras:0:Rules:0:Severity=low",
        "--Cameras:0:Rules:0:Line=0.40,0.30 0.40,0.64", "--Cameras:0:Rules:0:Direction=left",
        "--Cameras:0:Rules:1:Name=loitering-at-sign", "--Cameras:0:Rules:1:Type=loitering", "--Cameras:0:Rules:1:Severity=medium",
        "--Cameras:0:Rules:1:Zone=sign", "--Cameras:0:Rules:1:Seconds=10",
        "--Cameras:0:Rules:2:Name=gathering", "--Cameras:0:Rules:2:Type=crowd", "--Cameras:0:Rules:2:Severity=high",
        "--Cameras:0:Rules:2:Zone=walkway-centre", "--Cameras:0:Rules:2:MinCount=3", "--Cameras:0:Rules:2:Seconds=3",
        "--Cameras:0:Rules:3:Name=parked-vehicle", "--Cameras:0:Rules:3:Type=stopped", "--Cameras:0:Rules:3:Severity=low",
        "--Cameras:0:Rules:3:Zone=car-park", "--Cameras:0:Rules:3:Seconds=30",
        "--Cameras:0:Rules:4:Name=night-intrusion", "--Cameras:0:Rules:4:Type=intrusion", "--Cameras:0:Rules:4:Severity=critical",
        "--Cameras:0:Rules:4:Zone=walkway-centre", "--Cameras:0:Rules:4:ActiveFrom=22:00", "--Cameras:0:Rules:4:ActiveTo=06:00",
        "--Cameras:0:Rules:5:Name=anyone", "--Cameras:0:Rules:5:Type=any", "--Cameras:0:Rules:5:Severity=info", "--Cameras:0:Rules:5:Labels:0=person",
    ];

    [Fact]
    public void The_worked_example_is_valid()
    {
        Assert.Empty(ErrorsFor(WorkedExample));
    }

    public static TheoryData<string[], string> BadSettings => new()
    {
        { Rule("loitering", "Zone=gate", "Seconds=5"), "Cameras:0:Rules:0:Zone: there is no zone named 'gate' on this camera (it has none)" },
        { Rule("loiter"), "Cameras:0:Rules:0:Type: 'loiter' is not a rule type (any, intrusion, line, loitering, crowd, stopped)" },
        { [.. Zone, .. Rule("loitering", "Zone=gate")], "Cameras:0:Rules:0:Seconds: is required for a loitering rule" },
        { [.. Zone, .. Rule("crowd", "Zone=gate", "Seconds=3")], "Cameras:0:Rules:0:MinCount: is required for a crowd rule" },
        { [.. Zone, .. Rule("intrusion", "Zone=gate", "Severity=urgent")], "Cameras:0:Rules:0:Severity: 'urgent' is not a severity (info, low, medium, high, critical)" },
        { [.. Zone, .. Rule("intrusion", "Zone=gate", "ActiveFrom=25:00", "ActiveTo=06:00")], "Cameras:0:Rules:0:ActiveFrom: '25:00' is not a time of day (HH:mm, e.g. 22:00)" },
        { [.. Zone, .. Rule("intrusion", "Zone=gate", "ActiveFrom=22:00")], "Cameras:0:Rules:0:ActiveTo: a time window needs both ActiveFrom and ActiveTo" },
        { [.. Zone, .. Rule("loitering", "Zone=gate", "Seconds=5", "ActiveFrom=22:00", "ActiveTo=06:00")], "Cameras:0:Rules:0:ActiveFrom: only intrusion rules take a time window" },
        { Rule("line"), "Cameras:0:Rules:0:Line: is required for a line rule (two points 'x1,y1 x2,y2' with coordinates between 0 and 1)" },
        { Rule("line", "Line=0.4,0.3 0.4,0.64", "Direction=up"), "Cameras:0:Rules:0:Direction: 'up' runs along this line, so nothing crosses it that way; use left or right" },
        { Rule("line", "Line=0.4,0.3 0.4,0.64", "Direction=north"), "Cameras:0:Rules:0:Direction: 'north' is not a direction (any, up, down, left, right)" },
        { Rule("any", "Labels:0=unicorn"), "Cameras:0:Rules:0:Labels: 'unicorn' is not a COCO class name (e.g. person, car, truck)" },
        { ["--Cameras:0:Zones:0:Name=a", "--Cameras:0:Zones:0:Points=0,0 1,1"], "Cameras:0:Zones:0:Points: '0,0 1,1' is not a polygon: at least 3 points 'x,y' separated by spaces, each coordinate between 0 and 1" },
        { ["--Cameras:0:Masks:0=0,0 2,0 1,1"], "Cameras:0:Masks:0: point '2,0' is not 'x,y' with both coordinates between 0 and 1" },
        { ["--Cameras:0:Filters:unicorn:MinScore=0.5"], "Cameras:0:Filters:unicorn: 'unicorn' is not a COCO class name (e.g. person, car, truck)" },
        { ["--Cameras:0:Filters:person:MinScore=1.5"], "Cameras:0:Filters:person:MinScore: must be at least 0 and less than 1 (was 1.5)" },
        { ["--Cameras:0:Motion:RecheckSeconds=0"], "Cameras:0:Motion:RecheckSeconds: must be greater than 0 and at most 3600 (was 0)" },
        { ["--Cameras:0:Motion:MovingRecheckSeconds=0"], "Cameras:0:Motion:MovingRecheckSeconds: must be greater than 0 and at most 3600 (was 0); 1 looks at a walking person about every step and a half" },
        { ["--Tracker:ConfirmHits=0"], "Tracker:ConfirmHits: must be between 1 and 100 (was 0)" },
        { ["--Alerts:TimeZone=Mars/Olympus"], "Alerts:TimeZone: 'Mars/Olympus' is not a known time zone (use an IANA name such as Europe/London or Asia/Shanghai)" },
        { [.. Zone, .. Rule("loitering", "Zone=gate", "Seconds=long")], "Cameras:0:Rules:0:Seconds: 'long' is not a valid number" },
        { ["--Cameras:3:Rules:0:Name=x"], "Cameras:3: has analysis or rule settings but no camera (set at least its Id and Url)" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_rule_setting_gives_one_line_naming_the_key_and_the_problem(string[] settings, string expected)
    {
        Assert.Equal([$"Configuration error: {expected}"], ErrorsFor(settings));
    }

    [Theory]
    [InlineData("--Cameras:0:Rules:0:Secnds=5", "Secnds", "RuleOptions")]
    [InlineData("--Cameras:0:Zones:0:Point=0,0 1,0 1,1", "Point", "ZoneOptions")]
    [InlineData("--Cameras:0:Motion:Threshold=5", "Threshold", "MotionGateOptions")]
    [InlineData("--Cameras:0:Zonez:0:Name=a", "Zonez", "CameraOptions")]
    [InlineData("--Tracker:MinHits=2", "MinHits", "TrackerOptions")]
    public void A_misspelt_rule_key_is_reported_rather_than_ignored(string setting, string key, string type)
    {
        var line = Assert.Single(ErrorsFor(setting));
        Assert.Equal($"Configuration error: unknown setting(s) '{key}' in {type}; check the spelling", line);
    }
}
