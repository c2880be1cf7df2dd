using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>A real mosquitto with TLS (certificates made here with openssl), client certificates and a password file.</summary>
public sealed class BrokerSecurityTests : IAsyncLifetime
{
    private const string User = "engine";
    private const string Password = "Right-Pa55word";

    private TestCertificates _pki = null!;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync()
    {
        _pki = await TestCertificates.CreateAsync();
        var passwords = await _pki.PasswordFileAsync(User, Password);
        _broker = await MosquittoBroker.StartAsync(listenerConfig: $"""
            cafile {_pki.CaCertificate}
            certfile {_pki.ServerCertificate}
            keyfile {_pki.ServerKey}
            require_certificate true
            password_file {passwords}
            allow_anonymous false
            """);
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _pki.Dispose();
    }

    private async Task<IReadOnlyCollection<string>> RunEngineAsync(string password, string caFile, bool untilAlertPublished = false)
    {
        var logs = new RecordingLoggerProvider();
        await using (await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Mqtt:Host"] = "127.0.0.1",
            ["Mqtt:Port"] = _broker.Port.ToString(),
            ["Mqtt:Username"] = User,
            ["Mqtt:Password"] = password,
            ["Mqtt:CaFile"] = caFile,
            ["Mqtt:ClientCertificateFile"] = _pki.ClientCertificate,
            ["Mqtt:ClientKeyFile"] = _pki.ClientKey,
        }, logs))
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            var awaited = untilAlertPublished ? "-> surveillance/alerts/" : "Connected to MQTT broker";
            if (untilAlertPublished)
                deadline = DateTime.UtcNow.AddSeconds(30);
            while (!logs.Lines.Any(l => l.Contains(awaited, StringComparison.Ordinal) || l.Contains("unavailable", StringComparison.Ordinal))
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
        return logs.Lines;
    }

    [Fact]
    public async Task With_the_right_CA_client_certificate_and_password_the_engine_connects_and_publishes()
    {
        var logs = await RunEngineAsync(Password, _pki.CaCertificate, untilAlertPublished: true);
        Assert.Contains(logs, l => l.Contains($"Connected to MQTT broker 127.0.0.1:{_broker.Port}", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("published: person", StringComparison.Ordinal) && l.Contains("-> surveillance/alerts/grid-001/demo-walkway", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_such_without_the_password()
    {
        var logs = await RunEngineAsync("Wrong-Pa55word", _pki.CaCertificate);
        Assert.Contains(logs, l => l.Contains("refused the credentials of user 'engine'", StringComparison.Ordinal)
                                   && l.Contains("check Mqtt:Username and Mqtt:Password", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("Pa55word", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_broker_certificate_from_another_CA_is_refused_with_the_reason()
    {
        var logs = await RunEngineAsync(Password, _pki.RogueCaCertificate);
        Assert.Contains(logs, l => l.Contains("TLS: the broker's certificate 'CN=127.0.0.1' does not chain to the CA in Mqtt:CaFile", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal));
    }
}
