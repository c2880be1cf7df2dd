using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Surveillance.Host.Api;

/// <summary>
/// Lets a write (PUT, DELETE, POST) through only with the bearer token of a role that may write: 401 without a
/// known token, 403 for a role that may not write. Runs before the handler reads the body.
/// </summary>
public sealed partial class WriteAccess(BearerTokens tokens, ILogger<WriteAccess> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = tokens.Identify(http.Request.Headers.Authorization.ToString());
        if (caller.Role is not { } role)
        {
            var reason = tokens.Any ? caller.Refusal! : "no token is configured (Api:Tokens)";
            LogRefused(http.Request.Method, http.Request.Path.ToUriComponent(), reason, caller.TokenName ?? "-");
            // RFC 6750: a token that was sent but is not known is an invalid_token; a missing one gets the bare challenge.
            http.Response.Headers[HeaderNames.WWWAuthenticate] = caller.SentToken
                ? "Bearer error=\"invalid_token\""
                : "Bearer";
            return ApiProblems.Unauthorized(tokens.Any
                ? $"{reason}: a write needs 'Authorization: Bearer <token>' with a token of Api:Tokens"
                : "writes are disabled: no token is configured (Api:Tokens)");
        }
        if (!role.MayWrite())
        {
            var reason = $"role '{role.ToString().ToLowerInvariant()}' may not write";
            LogRefused(http.Request.Method, http.Request.Path.ToUriComponent(), reason, caller.TokenName ?? "-");
            return ApiProblems.Forbidden($"the token's {reason}");
        }
        return await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control API: refused {Method} {Path}: {Reason} (token {TokenName})")]
    private partial void LogRefused(string method, string path, string reason, string tokenName);
}
