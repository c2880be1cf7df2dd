using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Surveillance.Host.Api;

/// <summary><c>GET /metrics</c>: the engine's metric registry in Prometheus' text format, for scrapers.</summary>
public static class MetricsRoute
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(IEndpointRouteBuilder app, CollectorRegistry registry)
    {
        app.MapGet("/metrics", async Task<EmptyHttpResult> (HttpContext context) =>
            {
                context.Response.ContentType = ContentType;
                try
                {
                    await registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The scraper went away: its next scrape starts afresh.
                }
                return TypedResults.Empty;
            })
            .WithName("GetMetrics")
            .WithTags("Metrics")
            .WithSummary("Every metric of the engine, for Prometheus")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");
    }
}
