using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Surveillance.Host.Api;

/// <summary>The caller a bearer token names, or why none is named, and what that caller may see and do.</summary>
/// <param name="TokenName">The matching token's name for the logs and the review history; never its value.</param>
/// <param name="Grant">Null when no configured token matched.</param>
/// <param name="Refusal">Why no token matched, for the logs and the answer.</param>
/// <param name="SentToken">Whether the caller sent a bearer token at all (RFC 6750 answers a wrong one with invalid_token).</param>
/// <param name="AnonymousReads">Whether a caller without a token may read (<c>Api:AnonymousReads</c>).</param>
public sealed record Caller(string? TokenName, ApiGrant? Grant, string? Refusal, bool SentToken, bool AnonymousReads)
{
    public static Caller Anonymous(string refusal, bool sentToken, bool anonymousReads) => new(null, null, refusal, sentToken, anonymousReads);

    public ApiRole? Role => Grant?.Role;

    /// <summary>Whether the caller may read at all; what of, <see cref="MaySee"/> says.</summary>
    public bool MayRead => Grant is not null || AnonymousReads;

    /// <summary>
    /// Whether the caller may see a camera, event or review item of <paramref name="gridId"/>: every grid for admin,
    /// command and (with anonymous reads on) anonymous callers; only its own for a grid token, which sees nothing
    /// without a grid.
    /// </summary>
    public bool MaySee(string? gridId) => Grant switch
    {
        null => AnonymousReads,
        { Role: ApiRole.Grid } grant => gridId is not null && string.Equals(gridId, grant.GridId, StringComparison.Ordinal),
        _ => true,
    };

    /// <summary>Whether the caller may work review items and mute rules (of the grids it <see cref="MaySee">may see</see>).</summary>
    public bool MayReview => Grant is not null;

    /// <summary>Whether the caller may add, change, enable, disable or delete cameras.</summary>
    public bool MayChangeCameras => Grant is { Role: ApiRole.Admin };

    /// <summary>The caller of the request, identified once per request from its <c>Authorization</c> header.</summary>
    public static Caller Of(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(Caller), out var known) && known is Caller caller)
            return caller;
        caller = http.RequestServices.GetRequiredService<BearerTokens>().Identify(http.Request.Headers.Authorization.ToString());
        http.Items[typeof(Caller)] = caller;
        return caller;
    }

    /// <summary>Lets a route's handler take the caller as a parameter.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext http) => ValueTask.FromResult<Caller?>(Of(http));
}
