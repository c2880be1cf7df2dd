using Surveillance.Host;
using Surveillance.Host.Configuration;

namespace Surveillance.Tests.Fixtures;

/// <summary>Builds the engine's host as the binary does and runs its start-up configuration check.</summary>
public static class StartupCheck
{
    /// <returns>The lines the engine would print for <paramref name="args"/> on top of the repository's model and video; none when valid.</returns>
    public static IReadOnlyList<string> ErrorsFor(params string[] args)
    {
        string[] defaults =
        [
            $"--Detector:Model={RepoPaths.YoloV5s}",
            $"--Cameras:0:Url={RepoPaths.VtestAvi}",
        ];
        try
        {
            using var host = EngineHost.CreateBuilder([.. defaults, .. args]).Build();
            EngineHost.ValidateConfiguration(host.Services);
            return [];
        }
        catch (Exception e)
        {
            var lines = StartupErrors.Describe(e);
            Assert.True(lines.Count > 0, $"not described: {e}");
            return lines;
        }
    }
}
