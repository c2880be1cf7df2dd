using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A TCP relay on 127.0.0.1 that makes the way back from a server behave like a poor mobile link: every
/// chunk is held 200 ms ± 100 ms (in order) and the bandwidth is capped. Switch <see cref="Impaired"/> off
/// and it relays at full speed. Stands in for <c>tc netem</c>, which needs a kernel module this machine may
/// lack; packet loss shows up over TCP as exactly such delay.
/// </summary>
public sealed class ImpairedTcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _pumps = [];

    public ImpairedTcpRelay(int targetPort, int bytesPerSecond)
    {
        _targetPort = targetPort;
        BytesPerSecond = bytesPerSecond;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int BytesPerSecond { get; }

    private volatile bool _impaired = true;

    public bool Impaired
    {
        get => _impaired;
        set => _impaired = value;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                lock (_pumps)
                {
                    _pumps.Add(Task.Run(() => PumpAsync(client.GetStream(), server.GetStream(), impair: false)));
                    _pumps.Add(Task.Run(() => PumpAsync(server.GetStream(), client.GetStream(), impair: true)));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool impair)
    {
        var queue = Channel.CreateBounded<(long DeliverAt, byte[] Data)>(64);
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (deliverAt, data) in queue.Reader.ReadAllAsync(_stop.Token))
                {
                    var wait = deliverAt - Environment.TickCount64;
                    if (wait > 0)
                        await Task.Delay((int)wait, _stop.Token);
                    await to.WriteAsync(data, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
            finally
            {
                to.Close();
            }
        });

        var buffer = new byte[4096];
        long lastDelivery = 0;
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                    break;
                var now = Environment.TickCount64;
                var deliverAt = now;
                if (impair && Impaired)
                {
                    deliverAt = Math.Max(now + Random.Shared.Next(100, 301), lastDelivery + read * 1000L / BytesPerSecond);
                    deliverAt = Math.Max(deliverAt, lastDelivery);
                }
                lastDelivery = Math.Max(deliverAt, lastDelivery);
                await queue.Writer.WriteAsync((lastDelivery, buffer[..read]), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            queue.Writer.TryComplete();
            await writer;
            from.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps)
            pumps = [.. _pumps];
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}
