using Microsoft.Playwright;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Debian's chromium, headless, driven by Playwright: the console as an operator's browser sees it. Playwright cannot
/// download a browser of its own here, and need not: it starts the system's.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                // As root chromium refuses its sandbox; /dev/shm is small in containers.
                Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                Timeout = 60_000,
            });
            return new ConsoleBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A page of its own (a fresh context: its own sessionStorage) on <paramref name="baseUrl"/>, recording every
    /// request it makes and every error its scripts throw.
    /// </summary>
    public async Task<ConsolePage> OpenAsync(string baseUrl, string? token = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page, baseUrl);
        if (token is not null)
            await context.AddInitScriptAsync($"sessionStorage.setItem('surveillance.console.token', {System.Text.Json.JsonSerializer.Serialize(token)});");
        await page.GotoAsync(baseUrl);
        return console;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>One tab of the console, with what it asked for and what went wrong in it.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _requests = [];
    private readonly List<string> _errors = [];

    public ConsolePage(IBrowserContext context, IPage page, string baseUrl)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        page.Request += (_, request) => { lock (_requests) _requests.Add(request.Url); };
        // Uncaught errors of the page's scripts; a 404 for a frame not there yet is the page's business, not an error.
        page.PageError += (_, error) => { lock (_errors) _errors.Add(error); };
    }

    public IPage Page { get; }

    public string BaseUrl { get; }

    public IReadOnlyList<string> Requests { get { lock (_requests) return [.. _requests]; } }

    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    /// <summary>Saves a screenshot of the page when <c>SURVEILLANCE_SCREENSHOTS</c> names a folder (the docs' screenshots are made so).</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Environment.GetEnvironmentVariable("SURVEILLANCE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder))
            return;
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name) });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
