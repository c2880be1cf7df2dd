using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;

namespace Surveillance.Host.Api;

/// <summary><c>GET /api/health</c>: liveness and readiness in one answer, 200 when ready and 503 otherwise, with the report either way.</summary>
public static class HealthRoute
{
    public static void Map(IEndpointRouteBuilder app, IServiceProvider engine)
    {
        app.MapGet("/api/health", () =>
            {
                var report = Report(engine);
                return TypedResults.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .WithName("GetHealth")
            .WithTags("Health")
            .WithSummary("Liveness and readiness of the node")
            .WithDescription("200 when the engine has started and its MQTT link is up; 503 while it starts, stops or has no broker. The body is the same report either way.")
            .Produces<HealthReport>(StatusCodes.Status200OK)
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable);
    }

    public static HealthReport Report(IServiceProvider engine)
    {
        var lifetime = engine.GetRequiredService<IHostApplicationLifetime>();
        var mqtt = engine.GetRequiredService<MqttConnection>();
        var instance = engine.GetRequiredService<NodeInstance>();
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var started = lifetime.ApplicationStarted.IsCancellationRequested;
        var connected = mqtt.IsConnected;
        return new HealthReport(
            Status: stopping ? "stopping" : started ? "ok" : "starting",
            Ready: started && !stopping && connected,
            NodeId: engine.GetRequiredService<IOptions<NodeIdentity>>().Value.Id,
            InstanceId: instance.Id,
            ProcessId: Environment.ProcessId,
            StartedAt: instance.StartedAt,
            MqttConnected: connected);
    }
}
