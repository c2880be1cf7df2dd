using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Surveillance.Alerts.Dispatch;
using Surveillance.Alerts.Reviews;
using Surveillance.Cameras.Control;
using Surveillance.Host.Configuration;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Host.Api;

/// <summary>
/// The engine's HTTP endpoint on <c>http://{Metrics:Host}:{Metrics:Port}</c>: <c>/metrics</c> for Prometheus,
/// the control API under <c>/api</c>, its OpenAPI document, and the operators' console at <c>/</c>.
/// </summary>
/// <remarks>
/// A web application of its own on Kestrel, started and stopped by the engine's host, which answers from the
/// engine's services. Not prometheus-net's <c>MetricServer</c>: that is built on .NET's managed
/// <c>HttpListener</c>, which on Linux throws from <c>Start</c> when a client connects while it starts listening
/// (dotnet/corefx#35191).
/// </remarks>
public sealed partial class HttpEndpoint(
    IServiceProvider engine, IOptions<MetricsOptions> metrics, IOptions<ApiOptions> api, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<HttpEndpoint>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = metrics.Value;
        var app = Build(settings);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"Metrics:Port: cannot listen on {settings.Host}:{settings.Port} ({e.Message})", e);
        }
        _app = app;
        var url = ListenAddress.BaseUrl(settings.Host, settings.Port);
        var tokens = app.Services.GetRequiredService<BearerTokens>();
        LogListening(url, (tokens.Any, tokens.AnonymousReads) switch
        {
            (true, true) => "writes need a token",
            (true, false) => "reads and writes need a token",
            (false, true) => "read-only: no token is configured (Api:Tokens)",
            (false, false) => "closed: reads need a token and none is configured (Api:Tokens)",
        });
        if (ConsoleFiles.IsBuilt)
            LogConsole(url);
    }

    private WebApplication Build(MetricsOptions settings)
    {
        var address = ListenAddress.AddressOf(settings.Host) ?? throw new InvalidOperationException(MetricsOptions.InvalidHost(settings.Host));
        // Empty: no configuration sources, so neither appsettings.json nor ASPNETCORE_* variables move the endpoint.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(HttpEndpoint).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (ListenAddress.IsAnyInterface(settings.Host))
                kestrel.ListenAnyIP(settings.Port);
            else
                kestrel.Listen(address, settings.Port);
        });
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddRouting();
        builder.Services.AddProblemDetails();
        // Numbers are numbers both ways, and the OpenAPI document says so (not "integer or string").
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        builder.Services.AddApiDocument();
        builder.Services.AddSingleton(new BearerTokens(api));
        builder.Services.AddSingleton<ApiAccess>();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before the routes: a path that is a file of the console is answered from it, every other goes on to them.
        if (ConsoleFiles.IsBuilt)
            ConsoleFiles.Use(app);
        else
            LogNoConsole(ConsoleFiles.Root);
        MetricsRoute.Map(app, engine.GetRequiredService<CollectorRegistry>());
        HealthRoute.Map(app, engine);
        // The camera routes exist where the engine has something that controls its cameras.
        if (engine.GetService<ICameraControl>() is { } cameras)
            CameraRoutes.Map(app, cameras);
        if (engine.GetService<GridMap>() is { } grids)
        {
            GridRoutes.Map(app, grids);
            if (engine.GetService<VehicleRegistry>() is { } vehicles)
                VehicleRoutes.Map(app, vehicles, grids);
        }
        // The events, reviews and their live stream exist where the engine keeps a review book.
        if (engine.GetService<ReviewBook>() is { } reviews)
        {
            EventRoutes.Map(app, reviews);
            ReviewRoutes.Map(app, reviews);
            StreamRoute.Map(app, reviews, engine.GetRequiredService<IOptions<ReviewOptions>>().Value);
            if (engine.GetService<ICameraControl>() is { } controlled)
                MuteRoutes.Map(app, reviews, controlled, engine.GetService<TimeProvider>() ?? TimeProvider.System);
        }
        app.MapOpenApi(ApiDocument.Path);
        return app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console at {Url}")]
    private partial void LogConsole(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No console at {Folder} (built without it): nothing is served at /")]
    private partial void LogNoConsole(string folder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics at {Url}metrics, control API at {Url}api ({Access}), OpenAPI document at {Url}openapi/v1.json")]
    private partial void LogListening(string url, string access);
}
