using System.Text;
using Microsoft.Extensions.Configuration;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Cameras;

/// <summary>The camera file: records read with the keys and errors of <c>Cameras:N:*</c>, bad ones skipped, the rest kept.</summary>
public sealed class CameraInventoryFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camera-file-").FullName;

    private const string CameraA = """{ "Id": "cam-a", "Url": "rtsp://admin:s3cret@10.0.0.11:554/ch1", "Latitude": 31.2304, "Longitude": 121.4737, "GridId": "grid-001" }""";
    private const string CameraC = """{ "Id": "cam-c", "Url": "rtsp://10.0.0.13/ch1", "Latitude": 31.24, "Longitude": 121.48 }""";

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string content, string name = "cameras.json")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private CameraFileLoaded LoadGood(string content) => Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(WriteFile(content)));

    [Fact]
    public void Good_records_are_bound_with_the_keys_of_configuration_in_any_case()
    {
        var file = LoadGood($$"""
            [
              {{CameraA}},
              {
                "id": "gate-2", "NAME": "东门 2", "url": "rtsp://10.0.0.12/ch1", "kind": "Fixed", "latitude": 31.25, "longitude": "121.49",
                "DetectFps": 2.5, "Motion": { "Enabled": false },
                "Zones": [ { "Name": "yard", "Points": "0.1,0.1 0.9,0.1 0.9,0.9 0.1,0.9" } ],
                "Rules": [ { "Name": "night", "Type": "intrusion", "Zone": "yard", "Labels": [ "person" ], "ActiveFrom": "22:00", "ActiveTo": "06:00" } ]
              }
            ]
            """);

        Assert.Empty(file.Problems);
        Assert.Null(file.Note);
        Assert.Equal(["cam-a", "gate-2"], file.Records.Select(r => r.Id));
        var gate = file.Records[1];
        Assert.Equal("东门 2", gate.Camera.Name);
        Assert.Equal(121.49, gate.Camera.Longitude);
        Assert.Equal(2.5, gate.Camera.DetectFps);
        Assert.False(gate.Scene.Motion.Enabled);
        Assert.Equal("yard", Assert.Single(gate.Rules.Zones).Name);
        Assert.Equal(["person"], Assert.Single(gate.Rules.Rules).Labels);
        Assert.Equal("cameras.json[1]", gate.Origin.ToString());
        Assert.Equal("grid-001", file.Records[0].Camera.GridId);
    }

    public static TheoryData<string, string> Breakages => new()
    {
        { """{ "Id": "cam-b", "Uri": "rtsp://10.0.0.12/ch1", "Url": "rtsp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1 }""",
            "unknown setting(s) 'Uri' in CameraOptions; check the spelling" },
        { """{ "Id": "cam-b", "Url": "ftp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1 }""",
            "Url: scheme 'ftp' is not supported (use rtsp://, rtsps://, rtmp://, http(s):// or a local file path)" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "Longitude": 1 }""",
            "Latitude: is required for a fixed camera" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "Latitude": true, "Longitude": 1 }""",
            "Latitude: 'true' is not a valid number" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1, "DetectFps": "fast" }""",
            "DetectFps: 'fast' is not a valid number" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1, "Rules": [ { "Name": "r", "Type": "crowd", "Zone": "nowhere", "Seconds": 5, "MinCount": 3 } ] }""",
            "Rules:0:Zone: there is no zone named 'nowhere' on this camera (it has none)" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "url": "rtsp://10.0.0.13/ch1", "Latitude": 1, "Longitude": 1 }""",
            "url: is written more than once (keys are case-insensitive)" },
        { """{ "Id": "cam-b", "Url": "rtsp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1, "Enabled": "maybe" }""",
            "Enabled: 'maybe' is not a valid boolean (true or false)" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void A_broken_record_is_reported_with_its_index_and_id_and_the_others_are_kept(string broken, string expected)
    {
        var file = LoadGood($"[{CameraA}, {broken}, {CameraC}]");

        Assert.Equal(["cam-a", "cam-c"], file.Records.Select(r => r.Id));
        var problem = Assert.Single(file.Problems);
        Assert.Equal(1, problem.Index);
        Assert.Equal("cam-b", problem.Id);
        Assert.Equal([$"cameras.json[1] (id 'cam-b'): {expected}"], problem.Lines);
    }

    [Fact]
    public void A_record_that_is_not_an_object_or_has_no_id_is_reported_by_its_index()
    {
        var file = LoadGood($$"""[{{CameraA}}, "rtsp://10.0.0.12/ch1", {"Url": "rtsp://10.0.0.12/ch1", "Latitude": 1, "Longitude": 1}]""");

        Assert.Equal(["cam-a"], file.Records.Select(r => r.Id));
        Assert.Equal(
            ["cameras.json[1]: must be a camera object ({\"Id\": …, \"Url\": …}), not a string", "cameras.json[2]: Id: is required"],
            file.Problems.SelectMany(p => p.Lines));
    }

    [Fact]
    public void A_file_that_is_not_json_is_a_failure_naming_the_file_and_the_position()
    {
        var path = WriteFile("[\n  { \"Id\": \"cam-a\", \"Url\": rtsp://x }\n]");

        var failure = Assert.IsType<CameraFileUnusable>(CameraInventoryFile.Load(path));

        Assert.StartsWith($"{path}: is not valid JSON at line 2, byte ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_top_level_is_an_object_is_a_failure()
    {
        var path = WriteFile($$"""{ "Cameras": [{{CameraA}}] }""");

        var failure = Assert.IsType<CameraFileUnusable>(CameraInventoryFile.Load(path));

        Assert.Equal($"{path}: the top level must be an array of cameras ([{{\"Id\": …, \"Url\": …}}, …]), not an object", failure.Message);
    }

    [Fact]
    public void A_missing_file_is_an_empty_inventory_with_a_note()
    {
        var path = Path.Combine(_directory, "absent", "cameras.json");

        var file = Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(path));

        Assert.Empty(file.Records);
        Assert.Empty(file.Problems);
        Assert.Contains("does not exist", file.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void The_later_of_two_records_with_one_id_is_the_problem()
    {
        var file = LoadGood($$"""[{{CameraA}}, {{CameraC}}, { "Id": "cam-a", "Url": "rtsp://10.0.0.99/ch1", "Latitude": 1, "Longitude": 1 }]""");

        Assert.Equal(["cam-a", "cam-c"], file.Records.Select(r => r.Id));
        Assert.Equal("rtsp://admin:s3cret@10.0.0.11:554/ch1", file.Records[0].Camera.Url);
        Assert.Equal(["cameras.json[2] (id 'cam-a'): Id: 'cam-a' is already the id of cameras.json[0]; ids must be unique"],
            file.Problems.SelectMany(p => p.Lines));
    }

    [Fact]
    public void An_id_in_configuration_and_in_the_file_keeps_the_configurations_camera()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cameras:0:Id"] = "cam-c", ["Cameras:0:Url"] = "rtsp://10.0.0.50/main", ["Cameras:0:Latitude"] = "30", ["Cameras:0:Longitude"] = "120",
            ["Cameras:File"] = "cameras.json",
        }).Build();
        var set = new CameraSet();
        set.Bind(configuration);
        Assert.Empty(set.Validate());
        Assert.Equal("cameras.json", set.File);

        var inventory = CameraInventory.Combine(set.Records, LoadGood($"[{CameraA}, {CameraC}]"));

        Assert.Equal(["cam-c", "cam-a"], inventory.Records.Select(r => r.Id));
        Assert.Equal("rtsp://10.0.0.50/main", inventory.Records[0].Camera.Url);
        Assert.Equal("Cameras:0", inventory.Records[0].Origin.ToString());
        var problem = Assert.Single(inventory.Problems);
        Assert.Equal(1, problem.Index);
        Assert.Equal("cameras.json[1] (id 'cam-c'): Id: 'cam-c' is already the id of the configuration's camera Cameras:0, which is kept; remove one of them or give this one another id",
            Assert.Single(problem.Lines));
    }

    [Fact]
    public void Enabled_defaults_to_true_and_false_keeps_the_record_out_of_the_running_set()
    {
        var file = LoadGood($$"""[{{CameraA}}, { "Id": "cam-off", "Enabled": false, "Url": "rtsp://10.0.0.14/ch1", "Latitude": 1, "Longitude": 1 }, { "Id": "cam-on", "enabled": "True", "Url": "rtsp://10.0.0.15/ch1", "Latitude": 1, "Longitude": 1 }]""");

        Assert.Equal([true, false, true], file.Records.Select(r => r.Enabled));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cameras:0:Id"] = "on", ["Cameras:0:Url"] = "rtsp://10.0.0.50/main", ["Cameras:0:Latitude"] = "30", ["Cameras:0:Longitude"] = "120",
            ["Cameras:1:Id"] = "off", ["Cameras:1:Url"] = "rtsp://10.0.0.51/main", ["Cameras:1:Latitude"] = "30", ["Cameras:1:Longitude"] = "120",
            ["Cameras:1:Enabled"] = "false",
        }).Build();
        var set = new CameraSet();
        set.Bind(configuration);
        Assert.Empty(set.Validate());
        Assert.Equal(["on", "off"], set.Records.Select(r => r.Id));
        Assert.Equal(["on"], set.EnabledRecords.Select(r => r.Id));
    }

    [Fact]
    public void The_fingerprint_is_equal_exactly_when_the_settings_are()
    {
        var a = LoadGood("""[{ "Id": "cam-a", "Url": "rtsp://10.0.0.11/ch1", "Latitude": 31.5, "Longitude": 121 }]""").Records[0];
        // The same settings spelt otherwise: keys' case, a number as a string, a default written out.
        var same = LoadGood("""[{ "id": "cam-a", "URL": "rtsp://10.0.0.11/ch1", "Latitude": "31.50", "Longitude": 121.0, "DetectFps": 5, "Kind": "FIXED", "Enabled": false }]""").Records[0];
        var other = LoadGood("""[{ "Id": "cam-a", "Url": "rtsp://10.0.0.11/ch1", "Latitude": 31.5, "Longitude": 121, "DetectFps": 6 }]""").Records[0];

        Assert.Equal(a.Fingerprint, same.Fingerprint);
        Assert.NotEqual(a.Enabled, same.Enabled);
        Assert.NotEqual(a.Fingerprint, other.Fingerprint);
        Assert.Equal(a.Fingerprint, a.WithEnabled(false).Fingerprint);

        var set = new CameraSet();
        set.Bind(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cameras:0:Id"] = "cam-a", ["Cameras:0:Url"] = "rtsp://10.0.0.11/ch1", ["Cameras:0:Latitude"] = "31.5", ["Cameras:0:Longitude"] = "121",
        }).Build());
        Assert.Equal(a.Fingerprint, set.Records[0].Fingerprint);
    }

    [Fact]
    public void Written_records_read_back_the_same_in_the_same_order()
    {
        var original = LoadGood($$"""
            [
              { "Id": "34020000001320000009", "Name": "南京路 \"东\", 2号", "Url": "rtsp://admin:p%40ss@10.0.0.9/ch1", "Latitude": 31.2352, "Longitude": 121.4823, "Enabled": false,
                "Masks": [ "0,0 0.2,0 0.2,0.2" ], "Filters": { "Person": { "MinScore": 0.6 } },
                "Calibration": { "Points": [ { "X": 0.05, "Y": 0.95, "Lat": 22.543, "Lon": 114.0579 }, { "X": 0.95, "Y": 0.95, "Lat": 22.543, "Lon": 114.0583 },
                                             { "X": 0.9, "Y": 0.2, "Lat": 22.5436, "Lon": 114.05825 }, { "X": 0.1, "Y": 0.2, "Lat": 22.5436, "Lon": 114.05795 } ] } },
              {{CameraA}},
              { "Id": "van-7-cam", "Kind": "patrol", "VehicleId": "van-7", "Url": "rtmp://relay.example/live/van7", "Transport": "udp", "StallTimeoutSeconds": 30,
                "Zones": [ { "Name": "road", "Points": "0,0.5 1,0.5 1,1 0,1" } ],
                "Rules": [ { "Name": "crowd", "Type": "crowd", "Zone": "road", "Seconds": 10, "MinCount": 5, "Severity": "high" } ] }
            ]
            """);
        Assert.Empty(original.Problems);
        var copy = Path.Combine(_directory, "sub", "copy.json");

        CameraInventoryFile.Write(copy, original.Records);
        var text = File.ReadAllText(copy, Encoding.UTF8);
        var reread = Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(copy));

        Assert.Empty(reread.Problems);
        Assert.Equal(original.Records.Select(r => (r.Id, r.Enabled, r.Fingerprint)), reread.Records.Select(r => (r.Id, r.Enabled, r.Fingerprint)));
        Assert.Contains("南京路", text, StringComparison.Ordinal);
        Assert.Contains("\n  {", text, StringComparison.Ordinal); // indented
        Assert.Equal(["copy.json"], Directory.GetFiles(Path.GetDirectoryName(copy)!).Select(Path.GetFileName)); // no temporary file left
        Assert.Equal(4, reread.Records[0].Camera.Calibration!.Points.Count);
        Assert.Equal(0.6f, reread.Records[0].Scene.Filters["person"].MinScore);
        Assert.Equal(CameraKind.Patrol, reread.Records[2].Camera.Kind);
        Assert.Equal(5, reread.Records[2].Rules.Rules[0].MinCount);

        // Written again over the first copy: replaced whole.
        CameraInventoryFile.Write(copy, reread.Records.Skip(1));
        Assert.Equal(["cam-a", "van-7-cam"], Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(copy)).Records.Select(r => r.Id));
    }

    [Fact]
    public void A_gb28181_device_code_is_a_valid_camera_id_written_as_a_string_or_a_number()
    {
        Assert.True(TopicSegment.IsValid("34020000001320000001"));

        var file = LoadGood("""
            [
              { "Id": "34020000001320000001", "Url": "rtsp://10.0.0.21/ch1", "Latitude": 31.2, "Longitude": 121.4 },
              { "Id": 34020000001320000002, "Url": "rtsp://10.0.0.22/ch1", "Latitude": 31.2, "Longitude": 121.4 }
            ]
            """);

        Assert.Empty(file.Problems);
        Assert.Equal(["34020000001320000001", "34020000001320000002"], file.Records.Select(r => r.Id));
    }

    [Fact]
    public void A_bom_at_the_start_of_the_file_is_accepted()
    {
        var path = Path.Combine(_directory, "bom.json");
        File.WriteAllText(path, $"[{CameraA}]", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal(["cam-a"], Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(path)).Records.Select(r => r.Id));
    }

    [Theory]
    [InlineData("--Cameras:0:Enabled=maybe", "Configuration error: Cameras:0:Enabled: 'maybe' is not a valid boolean (true or false)")]
    [InlineData("--Cameras:Main:Url=rtsp://10.0.0.1/ch1", "Configuration error: Cameras:Main: is neither a camera nor the camera file; cameras are numbered (Cameras:0:Url, Cameras:1:Url, …) and Cameras:File names the camera file")]
    [InlineData("--Cameras:1:Rules:0:Name=orphan", "Configuration error: Cameras:1: has analysis or rule settings but no camera (set at least its Id and Url)")]
    public void Configuration_cameras_are_still_refused_at_start(string setting, string expected)
    {
        Assert.Equal([expected], StartupCheck.ErrorsFor(setting));
    }

    [Fact]
    public void A_disabled_configuration_camera_is_checked_and_a_camera_file_is_accepted_as_a_key()
    {
        Assert.Empty(StartupCheck.ErrorsFor("--Cameras:0:Enabled=false", $"--Cameras:File={Path.Combine(_directory, "cameras.json")}"));
        Assert.Equal(["Configuration error: Cameras:0:DetectFps: must be greater than 0 and at most 60 (was 0)"],
            StartupCheck.ErrorsFor("--Cameras:0:Enabled=false", "--Cameras:0:DetectFps=0"));
    }
}
