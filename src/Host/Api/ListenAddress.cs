using System.Net;

namespace Surveillance.Host.Api;

/// <summary>What the HTTP endpoint's <c>Metrics:Host</c> names.</summary>
public static class ListenAddress
{
    /// <summary>The address <paramref name="host"/> names: an IP address, <c>localhost</c>, or <c>+</c> / <c>*</c> for all.</summary>
    public static IPAddress? AddressOf(string host) => host switch
    {
        "+" or "*" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        _ => IPAddress.TryParse(host, out var address) ? address : null,
    };

    /// <summary>Whether <paramref name="host"/> is all interfaces (<c>+</c> / <c>*</c>), which Kestrel binds on IPv4 and IPv6 alike.</summary>
    public static bool IsAnyInterface(string host) => host is "+" or "*";

    /// <summary>Whether only this machine can reach an endpoint on <paramref name="host"/> (127.x, ::1, localhost).</summary>
    public static bool IsLoopback(string host) =>
        !IsAnyInterface(host) && AddressOf(host) is { } address && IPAddress.IsLoopback(address);

    /// <summary>The base URL of an endpoint on <paramref name="host"/>:<paramref name="port"/>, with a trailing slash.</summary>
    public static string BaseUrl(string host, int port) =>
        AddressOf(host) is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } && !IsAnyInterface(host)
            ? $"http://[{host}]:{port}/"
            : $"http://{host}:{port}/";
}
