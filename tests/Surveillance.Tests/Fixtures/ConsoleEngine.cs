using System.Net.Http.Headers;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// What the console's browser tests run against: a real mosquitto, the real engine on the bundled video with a grid
/// file, and Debian's chromium.
/// </summary>
public sealed class ConsoleEngine : IAsyncDisposable
{
    public const string Prefix = "console";

    private readonly string _gridFile;

    private ConsoleEngine(string gridFile, MosquittoBroker broker, EngineUnderTest engine, ConsoleBrowser browser)
    {
        _gridFile = gridFile;
        Broker = broker;
        Engine = engine;
        Browser = browser;
    }

    public MosquittoBroker Broker { get; }

    public EngineUnderTest Engine { get; }

    public ConsoleBrowser Browser { get; }

    public string BaseUrl => $"http://127.0.0.1:{Engine.MetricsPort}/";

    /// <param name="grids">The grid file's features (<see cref="GridFile.Polygon"/>).</param>
    /// <param name="settings">On top of the broker, the grid file and the topic prefix.</param>
    public static async Task<ConsoleEngine> StartAsync(string[] grids, IDictionary<string, string> settings)
    {
        var gridFile = Path.Combine(Path.GetTempPath(), $"console-grids-{Guid.NewGuid():N}.geojson");
        await File.WriteAllTextAsync(gridFile, GridFile.Generate(0, 0, grids));
        var broker = await MosquittoBroker.StartAsync();
        EngineUnderTest? engine = null;
        try
        {
            var all = new Dictionary<string, string>(settings)
            {
                ["Mqtt:Host"] = "127.0.0.1",
                ["Mqtt:Port"] = broker.Port.ToString(),
                ["Mqtt:TopicPrefix"] = Prefix,
                ["Grids:File"] = gridFile,
            };
            engine = await EngineUnderTest.StartAsync(all);
            var browser = await ConsoleBrowser.LaunchAsync();
            return new ConsoleEngine(gridFile, broker, engine, browser);
        }
        catch
        {
            if (engine is not null)
                await engine.DisposeAsync();
            await broker.DisposeAsync();
            File.Delete(gridFile);
            throw;
        }
    }

    /// <summary>A client of the engine's API, as a dispatch system or a script would use it.</summary>
    public HttpClient Api(string? token = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(10) };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await Engine.DisposeAsync();
        await Broker.DisposeAsync();
        File.Delete(_gridFile);
    }
}
