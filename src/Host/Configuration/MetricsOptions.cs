namespace Surveillance.Host.Configuration;

/// <summary>The Prometheus endpoint, under <c>Metrics</c>: <c>http://{Host}:{Port}/metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>Address to listen on; <c>127.0.0.1</c> keeps metrics on this machine, <c>+</c> listens on all.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 9464;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
            yield return "Metrics:Host: is required";
        if (Port is < 1 or > 65535)
            yield return $"Metrics:Port: must be between 1 and 65535 (was {Port})";
    }
}
