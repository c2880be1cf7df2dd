using System.Net;
using System.Net.Sockets;
using Prometheus;
using Surveillance.Host.Api;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>The Prometheus endpoint over a real socket, scraped by a real HTTP client.</summary>
public sealed class MetricsEndpointTests
{
    private static HttpEndpoint Endpoint(int port, CollectorRegistry registry) => StandaloneHttpEndpoint.Create(port, registry: registry);

    [Fact]
    public async Task Serves_its_registry_in_Prometheus_text_format_and_nothing_else()
    {
        var registry = Metrics.NewCustomRegistry();
        Metrics.WithCustomRegistry(registry).CreateCounter("surveillance_test_metrics_endpoint_probe_total", "Touched by MetricsEndpointTests.").Inc();
        // In the process' default registry, which an engine's endpoint never serves.
        Metrics.CreateCounter("surveillance_test_default_registry_probe_total", "Touched by MetricsEndpointTests.").Inc();
        var port = FreePort.Next();
        await using var endpoint = Endpoint(port, registry);
        await endpoint.StartAsync(CancellationToken.None);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var metrics = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE surveillance_test_metrics_endpoint_probe_total counter", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^surveillance_test_metrics_endpoint_probe_total [1-9]", text);
        Assert.DoesNotContain("surveillance_test_default_registry_probe_total", text, StringComparison.Ordinal);

        using var elsewhere = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/no-such-route"));
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);

        await endpoint.StopAsync(CancellationToken.None);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics")));
    }

    [Fact]
    public async Task Scrapers_connecting_while_it_starts_do_not_stop_it_from_starting()
    {
        // .NET's managed HttpListener threw from Start when a connection arrived while it started listening.
        var port = FreePort.Next();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var connections = 0;
        var hammer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = new TcpClient();
                try
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                    Interlocked.Increment(ref connections);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // Not listening at this moment.
                }
            }
        });

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var registry = Metrics.NewCustomRegistry();
        Metrics.WithCustomRegistry(registry).CreateGauge("surveillance_test_metrics_endpoint_starts", "Touched by MetricsEndpointTests.").Inc();
        for (var start = 0; start < 20; start++)
        {
            await using var endpoint = Endpoint(port, registry);
            await endpoint.StartAsync(CancellationToken.None);
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            Assert.Contains("# TYPE", text, StringComparison.Ordinal);
            await endpoint.StopAsync(CancellationToken.None);
        }
        await stop.CancelAsync();
        await hammer;
        Assert.True(connections > 20, $"only {connections} connections were made while the endpoint started and stopped");
    }

    [Fact]
    public async Task A_busy_port_is_a_startup_error_naming_Metrics_Port()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        await using var endpoint = Endpoint(port, Metrics.NewCustomRegistry());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => endpoint.StartAsync(CancellationToken.None));
        Assert.StartsWith($"Metrics:Port: cannot listen on 127.0.0.1:{port} (", error.Message, StringComparison.Ordinal);
    }
}
