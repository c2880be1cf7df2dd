using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Surveillance.Ownership.Run;

/// <summary>A throwaway redis-server for Orleans' membership table: loopback only, nothing saved.</summary>
public sealed class RedisServer
{
    private RedisServer(int port) => Port = port;

    public int Port { get; }

    public string Connection => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(ChildProcesses children, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(children);
        var port = FreePort.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        children.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} (is the Debian package redis-server installed?)");
            if (await PingAsync(port, cancellationToken).ConfigureAwait(false))
                return new RedisServer(port);
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException($"redis-server on port {port} did not answer PING within 10 s");
    }

    private static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
