namespace Surveillance.Host.Api;

/// <summary>The caller a bearer token names, or why none is named.</summary>
/// <param name="TokenName">The matching token's name for the logs; never its value.</param>
/// <param name="Role">Null when no configured token matched.</param>
/// <param name="Refusal">Why no token matched, for the logs and the answer.</param>
/// <param name="SentToken">Whether the caller sent a bearer token at all (RFC 6750 answers a wrong one with invalid_token).</param>
public sealed record Caller(string? TokenName, ApiRole? Role, string? Refusal, bool SentToken)
{
    public static Caller Anonymous(string refusal, bool sentToken) => new(null, null, refusal, sentToken);
}
