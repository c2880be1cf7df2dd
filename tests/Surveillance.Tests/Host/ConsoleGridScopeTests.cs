using System.Text.Json.Nodes;
using Surveillance.Tests.Fixtures;
using static Microsoft.Playwright.Assertions;

namespace Surveillance.Tests.Host;

/// <summary>
/// A grid leader's console: with a <c>grid:A</c> token against cameras in grids A and B, the page shows grid A, its
/// camera, its patrol car and its review items, and nothing of grid B, though B's camera raises items all along.
/// The real engine on the bundled video (twice, at 2 frames a second), in Debian's chromium.
/// </summary>
public sealed class ConsoleGridScopeTests : IAsyncLifetime
{
    private const string CommandToken = "command-token-0123456789abcdef";
    private const string LeaderToken = "leader-a-token-0123456789abcdef";
    private ConsoleEngine _console = null!;
    private VehicleSimulator _carA = null!;
    private VehicleSimulator _carB = null!;

    public async Task InitializeAsync()
    {
        _console = await ConsoleEngine.StartAsync(
            [
                GridFile.Polygon("grid-A", [(121.4717, 31.2290), (121.4757, 31.2290), (121.4757, 31.2318), (121.4717, 31.2318), (121.4717, 31.2290)]),
                GridFile.Polygon("grid-B", [(121.4757, 31.2290), (121.4797, 31.2290), (121.4797, 31.2318), (121.4757, 31.2318), (121.4757, 31.2290)]),
            ],
            new Dictionary<string, string>
            {
                ["Cameras:0:Id"] = "cam-a",
                ["Cameras:0:GridId"] = "grid-A",
                ["Cameras:0:DetectFps"] = "2",
                ["Cameras:1:Id"] = "cam-b",
                ["Cameras:1:Url"] = RepoPaths.VtestAvi,
                ["Cameras:1:Kind"] = "fixed",
                ["Cameras:1:Latitude"] = "31.2304",
                ["Cameras:1:Longitude"] = "121.4777",
                ["Cameras:1:GridId"] = "grid-B",
                ["Cameras:1:DetectFps"] = "2",
                ["Cameras:1:DetectWidth"] = "640",
                ["Cameras:1:DetectHeight"] = "480",
                ["Vehicles:Ids:0"] = "car-a",
                ["Vehicles:Ids:1"] = "car-b",
                ["Api:AnonymousReads"] = "false",
                ["Api:Tokens:0:Name"] = "command-centre",
                ["Api:Tokens:0:Value"] = CommandToken,
                ["Api:Tokens:0:Role"] = "command",
                ["Api:Tokens:1:Name"] = "leader-a",
                ["Api:Tokens:1:Value"] = LeaderToken,
                ["Api:Tokens:1:Role"] = "grid:grid-A",
            });
        _carA = await VehicleSimulator.StartAsync(_console.Broker.Port, $"{ConsoleEngine.Prefix}/vehicles/car-a/position", 31.2300, 121.4730, speed: 0);
        _carB = await VehicleSimulator.StartAsync(_console.Broker.Port, $"{ConsoleEngine.Prefix}/vehicles/car-b/position", 31.2300, 121.4780, speed: 0);
    }

    public async Task DisposeAsync()
    {
        await _carA.DisposeAsync();
        await _carB.DisposeAsync();
        await _console.DisposeAsync();
    }

    [Fact]
    public async Task A_grid_leaders_token_typed_into_the_page_shows_grid_A_only_on_the_map_in_the_table_and_in_the_queue()
    {
        await using var console = await _console.Browser.OpenAsync(_console.BaseUrl);
        var page = console.Page;

        // Reads need a token here: the page says so and shows nothing.
        await Expect(page.Locator("#notice")).ToContainTextAsync("The API needs a token", new() { Timeout = 30_000 });
        await Expect(page.Locator("#cameras tbody tr")).ToHaveCountAsync(0);

        await page.Locator("#token").FillAsync(LeaderToken);
        await page.Locator("#token-form button[type='submit']").ClickAsync();
        await Expect(page.Locator("#notice")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        Assert.Equal(LeaderToken, await page.EvaluateAsync<string>("() => sessionStorage.getItem('surveillance.console.token')"));
        Assert.DoesNotContain(LeaderToken, await page.ContentAsync(), StringComparison.Ordinal);

        await Expect(page.Locator("#cameras tbody tr")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Expect(page.Locator("#cameras tbody tr[data-camera-id='cam-a']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".leaflet-tooltip.grid-label")).ToHaveTextAsync(["grid-A: grid grid-A"]);
        await Expect(page.Locator("path.camera-marker[data-camera-id='cam-a']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".vehicle-marker[data-vehicle-id='car-a']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        // Another refresh of the cameras and the cars (every 5 and 3 s): still nothing of grid B.
        await page.WaitForTimeoutAsync(6000);
        Assert.Equal(0, await page.Locator(".vehicle-marker[data-vehicle-id='car-b'], path.camera-marker[data-camera-id='cam-b'], #cameras tr[data-camera-id='cam-b']").CountAsync());
        Assert.DoesNotContain("grid-B", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        // B's camera raises review items all along (the command centre sees them), A's leader none of them.
        using var command = _console.Api(CommandToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        JsonArray items;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "no review item of both cameras within 90 s");
            await Task.Delay(1000);
            items = JsonNode.Parse(await command.GetStringAsync(new Uri("api/reviews", UriKind.Relative)))!.AsArray();
        }
        while (!(items.Any(i => (string)i!["cameraId"]! == "cam-a") && items.Any(i => (string)i!["cameraId"]! == "cam-b")));

        await Expect(page.Locator("article.review[data-camera-id='cam-a']").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Locator("#filter-state").SelectOptionAsync("");
        // Two more seconds of the live stream, in which B's camera goes on raising items.
        await page.WaitForTimeoutAsync(2000);
        await console.ScreenshotAsync("console-grid-leader.png");
        Assert.Equal(0, await page.Locator("article.review[data-camera-id='cam-b'], article.review[data-grid-id='grid-B']").CountAsync());
        Assert.Equal(0, await page.Locator(".vehicle-marker[data-vehicle-id='car-b'], path.camera-marker[data-camera-id='cam-b']").CountAsync());
        var shown = await page.Locator("article.review").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.gridId)");
        Assert.All(shown, grid => Assert.Equal("grid-A", grid));
        Assert.DoesNotContain("cam-b", await page.Locator("#filter-camera").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("grid-B", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(console.Errors);
    }
}
