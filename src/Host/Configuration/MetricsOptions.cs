using Surveillance.Host.Api;

namespace Surveillance.Host.Configuration;

/// <summary>
/// The HTTP endpoint, under <c>Metrics</c> (the name it had when it served only metrics): <c>http://{Host}:{Port}/metrics</c>
/// for Prometheus and <c>/api</c> for the control API.
/// </summary>
public sealed class MetricsOptions
{
    /// <summary>Address to listen on: an IP address (<c>127.0.0.1</c> keeps metrics on this machine), <c>localhost</c>, or <c>+</c> for all.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 9464;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
            yield return "Metrics:Host: is required";
        else if (ListenAddress.AddressOf(Host) is null)
            yield return InvalidHost(Host);
        if (Port is < 1 or > 65535)
            yield return $"Metrics:Port: must be between 1 and 65535 (was {Port})";
    }

    public static string InvalidHost(string host) => $"Metrics:Host: '{host}' is not an IP address, 'localhost' or '+' (all interfaces)";
}
