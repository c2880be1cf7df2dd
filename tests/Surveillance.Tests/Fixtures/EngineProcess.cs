namespace Surveillance.Tests.Fixtures;

/// <summary>The engine binary as operators run it, in a process of its own, against a broker the test owns.</summary>
public static class EngineProcess
{
    /// <summary>
    /// Arguments for the engine with the real model, a free metrics port, the bundled video as its first camera and
    /// <paramref name="settings"/> (key=value, without the dashes), which come last and so override any of those.
    /// </summary>
    public static string[] Arguments(int brokerPort, string outboxPath, params string[] settings) =>
    [
        Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll"),
        "--Mqtt:Host=127.0.0.1", $"--Mqtt:Port={brokerPort}", $"--Metrics:Port={FreePort.Next()}",
        $"--Detector:Model={RepoPaths.YoloV5s}", $"--Outbox:Path={outboxPath}", $"--Cameras:0:Url={RepoPaths.VtestAvi}",
        .. settings.Select(s => $"--{s}"),
    ];

    /// <summary>Starts it and waits until a camera streams.</summary>
    public static Task<ChildProcess> StartAsync(int brokerPort, string outboxPath, params string[] settings) =>
        ChildProcess.StartAsync("dotnet", Arguments(brokerPort, outboxPath, settings), readyLine: "streaming", TimeSpan.FromSeconds(90));
}
