namespace Surveillance.Ingest;

/// <summary>How RTSP media travels.</summary>
public enum RtspTransport
{
    /// <summary>Interleaved in the RTSP TCP connection: one connection, no NAT trouble, no loss.</summary>
    Tcp,

    /// <summary>RTP over UDP: lower latency on clean networks, loses frames on lossy ones.</summary>
    Udp,
}
