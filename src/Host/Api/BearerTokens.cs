using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Surveillance.Host.Api;

/// <summary>Recognises the control API's tokens (<c>Api:Tokens</c>) in an <c>Authorization</c> header.</summary>
/// <remarks>
/// Each token is kept as its SHA-256 digest and every digest is compared in constant time, all of them every
/// time, so that neither how much of a token matched nor which one did shows in the time an answer takes; the
/// digest also hides a token's length.
/// </remarks>
public sealed class BearerTokens
{
    private const string Scheme = "Bearer ";
    private readonly (byte[] Digest, string Name, ApiGrant Grant)[] _tokens;
    private readonly bool _anonymousReads;

    public BearerTokens(IOptions<ApiOptions> options)
    {
        _tokens = [.. options.Value.Tokens.Select((t, i) => (Digest(t.Value), t.LogName(i),
            ApiRoles.Parse(t.Role, out var problem) ?? throw new InvalidOperationException($"Api:Tokens:{i}:Role: {problem}")))];
        _anonymousReads = options.Value.AnonymousReads;
    }

    public bool Any => _tokens.Length > 0;

    public bool AnonymousReads => _anonymousReads;

    /// <summary>Who sent <paramref name="authorization"/> (the header's value), or why nobody is recognised.</summary>
    public Caller Identify(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
            return Caller.Anonymous("no Authorization header", sentToken: false, _anonymousReads);
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return Caller.Anonymous("the Authorization header is not 'Bearer <token>'", sentToken: false, _anonymousReads);
        var presented = Digest(authorization[Scheme.Length..].Trim());
        var match = -1;
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, _tokens[i].Digest))
                match = i;
        }
        return match < 0
            ? Caller.Anonymous("unknown token", sentToken: true, _anonymousReads)
            : new Caller(_tokens[match].Name, _tokens[match].Grant, null, SentToken: true, _anonymousReads);
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
