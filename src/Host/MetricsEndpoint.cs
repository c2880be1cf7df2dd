using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using Surveillance.Host.Configuration;

namespace Surveillance.Host;

/// <summary>
/// Serves every metric of the engine for Prometheus at <c>http://{Metrics:Host}:{Metrics:Port}/metrics</c>: plain
/// HTTP/1.1, one short connection per scrape. What it serves is the engine's own registry, never the process'
/// default one: engines sharing a process each serve their own.
/// </summary>
/// <remarks>
/// Not prometheus-net's <c>MetricServer</c>: it is built on .NET's managed <c>HttpListener</c>, which on Linux
/// throws from <c>Start</c> when a client connects while it starts listening (dotnet/corefx#35191), and so
/// stopped the engine at start when a scrape came at that moment.
/// </remarks>
public sealed partial class MetricsEndpoint(IOptions<MetricsOptions> options, CollectorRegistry registry, ILogger<MetricsEndpoint> logger)
    : IHostedService, IAsyncDisposable
{
    private const int MaxRequestBytes = 8 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private static readonly byte[] NotFound = Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static readonly byte[] BadRequest = Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private static readonly byte[] MetricsHeader = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nConnection: close\r\n\r\n");

    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task _accepting = Task.CompletedTask;

    /// <summary>The address <paramref name="host"/> names: an IP address, <c>localhost</c>, or <c>+</c> / <c>*</c> for all.</summary>
    public static IPAddress? AddressOf(string host) => host switch
    {
        "+" or "*" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(host, out var address) ? address : null,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var address = AddressOf(settings.Host) ?? throw new InvalidOperationException(MetricsOptions.InvalidHost(settings.Host));
        try
        {
            _listener = new TcpListener(address, settings.Port);
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"Metrics:Port: cannot listen on {settings.Host}:{settings.Port} ({e.Message})", e);
        }
        _accepting = AcceptAsync(_listener, _stopping.Token);
        LogListening(settings.Host, settings.Port);
        return Task.CompletedTask;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(e);
                continue;
            }
            _ = ServeAsync(client, stoppingToken);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(RequestTimeout);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var path = await ReadRequestPathAsync(stream, timeout.Token).ConfigureAwait(false);
            if (path is null)
            {
                await stream.WriteAsync(BadRequest, timeout.Token).ConfigureAwait(false);
            }
            else if (path != "/metrics" && !path.StartsWith("/metrics?", StringComparison.Ordinal))
            {
                await stream.WriteAsync(NotFound, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await stream.WriteAsync(MetricsHeader, timeout.Token).ConfigureAwait(false);
                await registry.CollectAndExportAsTextAsync(stream, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The scraper went away or took too long: its next scrape starts afresh.
        }
    }

    /// <summary>The path of a GET request, once its headers have arrived; null for anything else.</summary>
    private static async Task<string?> ReadRequestPathAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                return null;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                var requestLine = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, length).IndexOf("\r\n"u8)).Split(' ');
                return requestLine is ["GET", var path, _] ? path : null;
            }
        }
        return null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        await _accepting.ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        _stopping.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics at http://{Host}:{Port}/metrics")]
    private partial void LogListening(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: a scraper's connection could not be accepted")]
    private partial void LogAcceptFailed(Exception exception);
}
