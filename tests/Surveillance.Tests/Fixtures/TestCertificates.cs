namespace Surveillance.Tests.Fixtures;

/// <summary>
/// A throwaway PKI made with the real openssl: a CA, a broker certificate for 127.0.0.1 and a client
/// certificate signed by it, and a second, unrelated CA that must not be trusted.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCertificate => Path.Combine(Directory, "client.crt");

    public string ClientKey => Path.Combine(Directory, "client.key");

    public string RogueCaCertificate => Path.Combine(Directory, "rogue-ca.crt");

    public static async Task<TestCertificates> CreateAsync()
    {
        var certificates = new TestCertificates(System.IO.Directory.CreateTempSubdirectory("surveillance-pki-").FullName);
        var d = certificates.Directory;
        await File.WriteAllTextAsync(Path.Combine(d, "server.ext"), "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        await File.WriteAllTextAsync(Path.Combine(d, "client.ext"), "extendedKeyUsage=clientAuth\n");
        string[][] steps =
        [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{d}/ca.key", "-out", $"{d}/ca.crt", "-days", "2", "-subj", "/CN=Surveillance Test CA"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{d}/rogue-ca.key", "-out", $"{d}/rogue-ca.crt", "-days", "2", "-subj", "/CN=Rogue CA"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{d}/server.key", "-out", $"{d}/server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", $"{d}/server.csr", "-CA", $"{d}/ca.crt", "-CAkey", $"{d}/ca.key", "-CAcreateserial", "-out", $"{d}/server.crt", "-days", "2", "-extfile", $"{d}/server.ext"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", $"{d}/client.key", "-out", $"{d}/client.csr", "-subj", "/CN=surveillance-engine"],
            ["x509", "-req", "-in", $"{d}/client.csr", "-CA", $"{d}/ca.crt", "-CAkey", $"{d}/ca.key", "-CAcreateserial", "-out", $"{d}/client.crt", "-days", "2", "-extfile", $"{d}/client.ext"],
        ];
        foreach (var step in steps)
        {
            await using var openssl = await ChildProcess.StartAsync("openssl", step, readyLine: null, TimeSpan.FromSeconds(5));
            var exitCode = await openssl.WaitForExitAsync(TimeSpan.FromSeconds(60));
            if (exitCode != 0)
                throw new InvalidOperationException($"openssl {string.Join(' ', step)} failed: {openssl.Output}");
        }
        return certificates;
    }

    /// <summary>A mosquitto password file with one user.</summary>
    public async Task<string> PasswordFileAsync(string user, string password)
    {
        var path = Path.Combine(Directory, "passwd");
        await using var tool = await ChildProcess.StartAsync("mosquitto_passwd", ["-b", "-c", path, user, password], readyLine: null, TimeSpan.FromSeconds(5));
        if (await tool.WaitForExitAsync(TimeSpan.FromSeconds(30)) != 0)
            throw new InvalidOperationException($"mosquitto_passwd failed: {tool.Output}");
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
