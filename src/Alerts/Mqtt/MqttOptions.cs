namespace Surveillance.Alerts.Mqtt;

/// <summary>The MQTT broker alerts go to, under <c>Mqtt</c>.</summary>
public sealed class MqttOptions
{
    /// <summary>Broker host name or address. Empty: the engine starts its own broker on 127.0.0.1:<see cref="Port"/>.</summary>
    public string Host { get; set; } = "";

    public int Port { get; set; } = 1883;

    /// <summary>First topic level(s) of everything the engine publishes, e.g. <c>surveillance</c> or <c>city/district-7</c>.</summary>
    public string TopicPrefix { get; set; } = "surveillance";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Connect over TLS (conventionally port 8883). Implied by <see cref="CaFile"/>.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA that signed the broker's certificate; without it, the system's trusted roots decide.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM certificate the engine presents to a broker that asks for one; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string? ClientKeyFile { get; set; }

    public bool TlsEnabled => UseTls || !string.IsNullOrEmpty(CaFile) || !string.IsNullOrEmpty(ClientCertificateFile);

    /// <summary>Seconds to wait for the broker to accept a connection or acknowledge a message.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// The largest MQTT packet the broker may send this engine (MQTT 5's Maximum Packet Size). The engine receives
    /// only vehicle positions and availability messages, a few hundred bytes each.
    /// </summary>
    public uint MaxIncomingPacketBytes { get; set; } = 65_536;

    public bool UsesEmbeddedBroker => string.IsNullOrWhiteSpace(Host);

    public IEnumerable<string> Validate()
    {
        if (Port is < 1 or > 65535)
            yield return $"Mqtt:Port: must be between 1 and 65535 (was {Port})";
        if (!IsValidPrefix(TopicPrefix))
            yield return $"Mqtt:TopicPrefix: '{TopicPrefix}' must be one or more topic levels separated by '/', without '+', '#', empty levels or a leading '$'";
        if (!string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(Username))
            yield return "Mqtt:Username: is required when Mqtt:Password is set";
        foreach (var (key, path) in new[] { ("CaFile", CaFile), ("ClientCertificateFile", ClientCertificateFile), ("ClientKeyFile", ClientKeyFile) })
        {
            if (!string.IsNullOrEmpty(path) && !File.Exists(path))
                yield return $"Mqtt:{key}: file '{path}' does not exist";
        }
        if (string.IsNullOrEmpty(ClientCertificateFile) != string.IsNullOrEmpty(ClientKeyFile))
            yield return "Mqtt:ClientKeyFile: a client certificate needs both Mqtt:ClientCertificateFile and Mqtt:ClientKeyFile";
        if (TlsEnabled && UsesEmbeddedBroker)
            yield return "Mqtt:Host: TLS settings need a broker host; the embedded broker listens without TLS on 127.0.0.1 only";
        if (double.IsNaN(TimeoutSeconds) || TimeoutSeconds < 1 || TimeoutSeconds > 300)
            yield return $"Mqtt:TimeoutSeconds: must be between 1 and 300 (was {TimeoutSeconds})";
        if (MaxIncomingPacketBytes is < 1024 or > 268_435_455)
            yield return $"Mqtt:MaxIncomingPacketBytes: must be between 1024 and 268435455 (was {MaxIncomingPacketBytes})";
    }

    private static bool IsValidPrefix(string prefix) =>
        !string.IsNullOrWhiteSpace(prefix)
        && !prefix.StartsWith('$')
        && prefix.Split('/').All(level => level.Length > 0 && !level.Contains('+') && !level.Contains('#') && !level.Any(char.IsControl));
}
