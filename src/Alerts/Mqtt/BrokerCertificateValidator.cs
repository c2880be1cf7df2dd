using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Surveillance.Alerts.Mqtt;

/// <summary>
/// Trusts the broker's certificate only if it chains to the configured CA (or, without one, to the system's
/// roots) and names the host we connected to. Remembers why it refused, for a log line that says so.
/// </summary>
public sealed class BrokerCertificateValidator(X509Certificate2? ca)
{
    public string? LastRefusal { get; private set; }

    public bool Validate(X509Certificate? certificate, X509Chain? presentedChain, SslPolicyErrors errors)
    {
        LastRefusal = null;
        if (certificate is null)
            return Refuse("the broker presented no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return Refuse("the broker's certificate does not name the host connected to");
        if (ca is null)
            return errors == SslPolicyErrors.None || Refuse($"the broker's certificate is not trusted by this system ({errors})");

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        using var leaf = new X509Certificate2(certificate);
        if (chain.Build(leaf))
            return true;
        var status = string.Join(", ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return Refuse($"the broker's certificate '{leaf.Subject}' does not chain to the CA in Mqtt:CaFile ({status})");
    }

    private bool Refuse(string reason)
    {
        LastRefusal = reason;
        return false;
    }
}
