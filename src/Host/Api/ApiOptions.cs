namespace Surveillance.Host.Api;

/// <summary>The control API, under <c>Api</c>. It listens with the metrics on <c>Metrics:Host</c>:<c>Metrics:Port</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Short enough to type, long enough not to be guessed over the network.</summary>
    public const int MinimumTokenLength = 16;

    /// <summary>The bearer tokens; none by default, which leaves the API read-only.</summary>
    public List<ApiToken> Tokens { get; set; } = [];

    /// <summary>
    /// Whether a caller without a token may read every camera, event and review item (true by default: the endpoint
    /// listens on loopback). Must be false once any token is limited to a grid, or the grid's limit would mean nothing.
    /// </summary>
    public bool AnonymousReads { get; set; } = true;

    /// <param name="metricsHost">The endpoint's <c>Metrics:Host</c>: beyond loopback, writes must need a token.</param>
    public IEnumerable<string> Validate(string metricsHost)
    {
        for (var i = 0; i < Tokens.Count; i++)
        {
            var token = Tokens[i];
            var key = $"{Section}:Tokens:{i}";
            // The message never quotes the value: it is a secret even when it is a bad one.
            if (string.IsNullOrEmpty(token.Value))
                yield return $"{key}:Value: is required (a random string of at least {MinimumTokenLength} characters, e.g. from 'openssl rand -hex 32')";
            else if (token.Value.Length < MinimumTokenLength)
                yield return $"{key}:Value: must be at least {MinimumTokenLength} characters (was {token.Value.Length}); use e.g. 'openssl rand -hex 32'";
            else if (token.Value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                yield return $"{key}:Value: must not contain spaces or control characters";
            if (string.IsNullOrWhiteSpace(token.Role))
                yield return $"{key}:Role: is required ({ApiRoles.Names})";
            else if (ApiRoles.Parse(token.Role, out var problem) is not { } grant)
                yield return $"{key}:Role: {problem}";
            else if (grant.Role == ApiRole.Grid && AnonymousReads)
                yield return $"{key}:Role: '{token.Role}' limits the token to grid '{grant.GridId}', but Api:AnonymousReads is true, "
                    + "so callers without a token read every grid; set Api:AnonymousReads=false";
        }
        foreach (var duplicate in Tokens.Select((t, i) => (t.Value, Index: i)).Where(t => !string.IsNullOrEmpty(t.Value))
                     .GroupBy(t => t.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return $"{Section}:Tokens:{duplicate.Last().Index}:Value: is the same as {Section}:Tokens:{duplicate.First().Index}:Value; give each token its own value";

        if (Tokens.Count == 0 && !string.IsNullOrWhiteSpace(metricsHost) && ListenAddress.AddressOf(metricsHost) is not null
            && !ListenAddress.IsLoopback(metricsHost))
            yield return $"{Section}:Tokens: none is set, and Metrics:Host '{metricsHost}' opens the HTTP endpoint beyond this machine; "
                + $"set Api:Tokens:0:Value (at least {MinimumTokenLength} characters) and Api:Tokens:0:Role=admin, or set Metrics:Host=127.0.0.1";
    }
}
