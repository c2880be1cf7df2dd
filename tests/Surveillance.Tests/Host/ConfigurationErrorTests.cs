using Microsoft.Extensions.DependencyInjection;
using Surveillance.Host;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>Bad configuration is refused at start with one line per problem that names the key.</summary>
public sealed class ConfigurationErrorTests
{
    private static IReadOnlyList<string> ErrorsFor(params string[] args) => StartupCheck.ErrorsFor(args);

    [Fact]
    public void The_shipped_configuration_with_the_repository_paths_is_valid()
    {
        Assert.Empty(ErrorsFor());
    }

    [Theory]
    [InlineData("--Cameras:0:DetectFps=0", "Configuration error: Cameras:0:DetectFps: must be greater than 0 and at most 60 (was 0)")]
    [InlineData("--Cameras:0:DetectFps=fast", "Configuration error: Cameras:0:DetectFps: 'fast' is not a valid number")]
    [InlineData("--Cameras:0:Kind=drone", "Configuration error: Cameras:0:Kind: 'drone' is not a valid camera kind (fixed or patrol)")]
    [InlineData("--Cameras:0:Url=rtsp://", "Configuration error: Cameras:0:Url: is not a valid RTSP URL (expected rtsp://[user:password@]host[:port]/path)")]
    [InlineData("--Cameras:0:Url=ftp://cam/stream", "Configuration error: Cameras:0:Url: scheme 'ftp' is not supported (use rtsp://, rtsps://, rtmp://, http(s):// or a local file path)")]
    [InlineData("--Cameras:0:Latitude=123", "Configuration error: Cameras:0:Latitude: must be between -90 and 90 (was 123)")]
    [InlineData("--Cameras:0:GridId=grid/7", "Configuration error: Cameras:0:GridId: 'grid/7' may contain only letters, digits, '-', '_' and '.' (at most 64 characters)")]
    [InlineData("--Cameras:0:Id=cam#1", "Configuration error: Cameras:0:Id: 'cam#1' may contain only letters, digits, '-', '_' and '.' (at most 64 characters)")]
    [InlineData("--Cameras:0:DetectWidth=641", "Configuration error: Cameras:0:DetectWidth: must be an even number between 32 and 4096 (was 641)")]
    [InlineData("--Mqtt:Port=70000", "Configuration error: Mqtt:Port: must be between 1 and 65535 (was 70000)")]
    [InlineData("--Mqtt:TopicPrefix=city/#", "Configuration error: Mqtt:TopicPrefix: 'city/#' must be one or more topic levels separated by '/', without '+', '#', empty levels or a leading '$'")]
    [InlineData("--Metrics:Port=0", "Configuration error: Metrics:Port: must be between 1 and 65535 (was 0)")]
    [InlineData("--Metrics:Host=metrics.example", "Configuration error: Metrics:Host: 'metrics.example' is not an IP address, 'localhost' or '+' (all interfaces)")]
    [InlineData("--Detector:Model=/nonexistent/model.onnx", "Configuration error: Detector:Model: file '/nonexistent/model.onnx' does not exist")]
    [InlineData("--Detector:ScoreThreshold=1.5", "Configuration error: Detector:ScoreThreshold: must be greater than 0 and less than 1 (was 1.5)")]
    [InlineData("--Detector:Classes:0=unicorn", "Configuration error: Detector:Classes: 'unicorn' is not a COCO class name (e.g. person, car, truck)")]
    [InlineData("--Detector:Workers=-1", "Configuration error: Detector:Workers: must be between 0 (from the core count) and 64 (was -1)")]
    [InlineData("--Detector:BatchSize=0", "Configuration error: Detector:BatchSize: must be between 1 and 64 (was 0)")]
    [InlineData("--Detector:ExecutionProvider=Tpu", "Configuration error: Detector:ExecutionProvider: 'Tpu' is not a valid value (Cpu, Cuda or TensorRt)")]
    [InlineData("--Detector:ExecutionProvider=Cuda", "Configuration error: Detector:ExecutionProvider: 'Cuda' is not in this build of ONNX Runtime (it has CPUExecutionProvider): " + Surveillance.Analytics.InferenceSessions.GpuBuildHint)]
    [InlineData("--Ingest:HardwareDecoding=gpu", "Configuration error: Ingest:HardwareDecoding: 'gpu' is not a valid value (None, Cuda, Vaapi or Qsv)")]
    [InlineData("--Ingest:MaxConcurrentStarts=-1", "Configuration error: Ingest:MaxConcurrentStarts: must be between 0 (automatic) and 10000 (was -1)")]
    [InlineData("--Alerts:ClearSeconds=-1", "Configuration error: Alerts:ClearSeconds: must be between 0 and 3600 (was -1)")]
    [InlineData("--Grids:Crs=utm", "Configuration error: Grids:Crs: 'utm' is not a known coordinate system (wgs84: GPS, OpenStreetMap; gcj02: Gaode/Amap, Tencent; bd09: Baidu)")]
    [InlineData("--Node:Id=node 1", "Configuration error: Node:Id: 'node 1' may contain only letters, digits, '-', '_' and '.' (at most 64 characters)")]
    public void A_bad_value_gives_one_line_naming_the_key_and_the_problem(string setting, string expected)
    {
        Assert.Equal([expected], ErrorsFor(setting));
    }

    [Fact]
    public void Classes_from_configuration_replace_the_default_list_instead_of_adding_to_it()
    {
        using var host = EngineHost.CreateBuilder([$"--Detector:Model={RepoPaths.YoloV5s}", $"--Cameras:0:Url={RepoPaths.VtestAvi}", "--Detector:Classes:0=person"]).Build();
        var detector = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Surveillance.Analytics.DetectorOptions>>().Value;
        Assert.Equal(["person"], detector.EffectiveClasses);
    }

    [Theory]
    [InlineData("--Cameras:0:Kind=patrol", "Configuration error: Cameras:0:VehicleId: is required for a patrol camera")]
    [InlineData("--Cameras:0:VehicleId=van-1", "Configuration error: Cameras:0:VehicleId: only a patrol camera has a vehicle (Kind is 'fixed')")]
    [InlineData("--Cameras:0:Transport=pigeon", "Configuration error: Cameras:0:Transport: 'pigeon' is not a valid transport (tcp or udp)")]
    [InlineData("--Cameras:0:StallTimeoutSeconds=0", "Configuration error: Cameras:0:StallTimeoutSeconds: must be between 1 and 600 (was 0)")]
    [InlineData("--Ingest:Patrol:BackoffMaxSeconds=0.2", "Configuration error: Ingest:Patrol:BackoffMaxSeconds: must be between BackoffInitialSeconds and 3600 (was 0.2)")]
    [InlineData("--Vehicles:StaleAfterSeconds=0", "Configuration error: Vehicles:StaleAfterSeconds: must be greater than 0 and at most 3600 (was 0)")]
    public void Stream_and_vehicle_settings_are_checked_too(string setting, string expected)
    {
        Assert.Equal([expected], ErrorsFor(setting));
    }

    [Theory]
    [InlineData("--Cluster:Redis=127.0.0.1:6379", "Configuration error: Cluster:Postgres: is required in a cluster (camera ownership and the shared outbox), e.g. Host=127.0.0.1;Username=surveillance;Password=...;Database=surveillance; or remove Cluster:Redis to run alone")]
    [InlineData("--Cluster:Postgres=Host=127.0.0.1", "Configuration error: Cluster:Redis: is required in a cluster (Orleans' membership table), e.g. 127.0.0.1:6379; or remove Cluster:Postgres to run alone")]
    public void A_cluster_needs_both_stores_and_names_the_missing_one(string setting, string expected)
    {
        Assert.Equal([expected], ErrorsFor(setting));
    }

    [Fact]
    public void Cluster_failure_detection_settings_are_bounded()
    {
        Assert.Equal(["Configuration error: Cluster:ProbeTimeout: must be between 00:00:00.5 and 00:01:00 (was 00:00:00.1000000)"],
            ErrorsFor("--Cluster:Redis=127.0.0.1:6379", "--Cluster:Postgres=Host=127.0.0.1", "--Cluster:ProbeTimeout=00:00:00.1"));
    }

    [Fact]
    public void A_calibration_whose_points_disagree_is_refused_at_start()
    {
        string[] points =
        [
            "0.05,0.95,22.54300,114.05790", "0.95,0.95,22.54300,114.05830", "0.90,0.20,22.54360,114.05825",
            "0.10,0.20,22.54360,114.05795", "0.50,0.55,22.54400,114.05810", // the last one is 80 m off
        ];
        var args = points.SelectMany((p, i) =>
        {
            var v = p.Split(',');
            return new[] { $"--Cameras:0:Calibration:Points:{i}:X={v[0]}", $"--Cameras:0:Calibration:Points:{i}:Y={v[1]}",
                $"--Cameras:0:Calibration:Points:{i}:Lat={v[2]}", $"--Cameras:0:Calibration:Points:{i}:Lon={v[3]}" };
        }).ToArray();
        var line = Assert.Single(ErrorsFor(args));
        Assert.StartsWith("Configuration error: Cameras:0:Calibration: the reference points are ", line, StringComparison.Ordinal);
        Assert.EndsWith("m (RMS) off the fitted ground plane, more than MaxErrorMetres 2; check the points", line, StringComparison.Ordinal);
        Assert.Equal(["Configuration error: Cameras:0:Calibration:Points: at least 4 reference points are needed (got 2)"], ErrorsFor(args[..8]));
    }

    [Fact]
    public void A_misspelt_key_is_reported_rather_than_ignored()
    {
        var line = Assert.Single(ErrorsFor("--Detector:ScoreTreshold=0.3"));
        Assert.Contains("ScoreTreshold", line, StringComparison.Ordinal);
        Assert.StartsWith("Configuration error: unknown setting", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var lines = ErrorsFor("--Cameras:0:DetectFps=0", "--Mqtt:Port=0", "--Cameras:1:Id=demo-walkway", $"--Cameras:1:Url={RepoPaths.VtestAvi}",
            "--Cameras:1:GridId=g", "--Cameras:1:Latitude=1", "--Cameras:1:Longitude=1");
        Assert.Contains("Configuration error: Cameras:0:DetectFps: must be greater than 0 and at most 60 (was 0)", lines);
        Assert.Contains("Configuration error: Mqtt:Port: must be between 1 and 65535 (was 0)", lines);
        Assert.Contains("Configuration error: Cameras: camera id 'demo-walkway' is used by 2 cameras; ids must be unique", lines);
    }

    [Fact]
    public void A_fixed_camera_needs_its_position()
    {
        var lines = ErrorsFor("--Cameras:0:Latitude=", "--Cameras:0:Longitude=");
        Assert.Equal(
            ["Configuration error: Cameras:0:Latitude: is required for a fixed camera", "Configuration error: Cameras:0:Longitude: is required for a fixed camera"],
            lines);
    }

    [Fact]
    public async Task The_engine_binary_exits_non_zero_with_the_line_and_no_stack_trace()
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll");
        await using var engine = await ChildProcess.StartAsync("dotnet",
            [hostDll, "--Cameras:0:DetectFps=0", $"--Detector:Model={RepoPaths.YoloV5s}", $"--Cameras:0:Url={RepoPaths.VtestAvi}"],
            readyLine: null, TimeSpan.FromSeconds(5));

        var exitCode = await engine.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        var output = engine.Output.Trim();
        Assert.Equal("Configuration error: Cameras:0:DetectFps: must be greater than 0 and at most 60 (was 0)", output);
    }

    [Fact]
    public async Task Environment_variables_configure_any_camera()
    {
        var hostDll = Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll");
        var startInfo = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["Cameras__0__Url"] = "rtsp://",
                ["Detector__Model"] = RepoPaths.YoloV5s,
            },
        };
        startInfo.ArgumentList.Add(hostDll);
        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("Configuration error: Cameras:0:Url: is not a valid RTSP URL (expected rtsp://[user:password@]host[:port]/path)", (await stderr).Trim());
    }
}
