using System.Net;
using System.Net.Sockets;

namespace Surveillance.Ingest;

/// <summary>
/// Asks whether a stream's server accepts connections at all, by a bare TCP connect to its host and port. It costs
/// a handshake where a decoder start costs a process, codec probing and a second or more, so a dead source can be
/// asked twice a second and a camera resumes as soon as its server is back, however long it was away.
/// </summary>
public sealed class SourceProbe(DnsEndPoint endpoint, TimeSpan timeout)
{
    public DnsEndPoint Endpoint { get; } = endpoint;

    /// <returns>Null when the server accepted the connection; otherwise why not, fit for a log line.</returns>
    public async Task<string?> TryConnectAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(Endpoint, attempt.Token).ConfigureAwait(false);
            return null;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name not found",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                _ => e.Message,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {timeout.TotalSeconds:0.#} s";
        }
    }
}
