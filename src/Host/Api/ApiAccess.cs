using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Surveillance.Host.Api;

/// <summary>
/// Lets a request through only when its caller has the <see cref="RequiredAccess"/> its route needs: 401 without a
/// known token where one is needed (and for a token sent but not known, always), 403 for a role that may not do
/// it. Runs before the handler reads the body. Which grid's things a caller may see, the handlers decide with
/// <see cref="Caller.MaySee"/>.
/// </summary>
public sealed partial class ApiAccess(BearerTokens tokens, ILogger<ApiAccess> logger)
{
    public ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, RequiredAccess needed)
    {
        var http = context.HttpContext;
        var caller = Caller.Of(http);
        if (caller.Grant is null && (caller.SentToken || needed != RequiredAccess.Read || !caller.AnonymousReads))
            return ValueTask.FromResult<object?>(Unauthorized(http, caller, needed));
        if (needed == RequiredAccess.ChangeCameras && !caller.MayChangeCameras)
        {
            var reason = $"role '{caller.Role.ToString()!.ToLowerInvariant()}' may not change cameras";
            LogRefused(http.Request.Method, http.Request.Path.ToUriComponent(), reason, caller.TokenName ?? "-");
            return ValueTask.FromResult<object?>(ApiProblems.Forbidden($"the token's {reason} (only admin may)"));
        }
        return next(context);
    }

    private ProblemHttpResult Unauthorized(HttpContext http, Caller caller, RequiredAccess needed)
    {
        var reason = tokens.Any ? caller.Refusal! : "no token is configured (Api:Tokens)";
        LogRefused(http.Request.Method, http.Request.Path.ToUriComponent(), reason, caller.TokenName ?? "-");
        // RFC 6750: a token that was sent but is not known is an invalid_token; a missing one gets the bare challenge.
        http.Response.Headers[HeaderNames.WWWAuthenticate] = caller.SentToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        if (!tokens.Any && needed != RequiredAccess.Read)
            return ApiProblems.Unauthorized("writes are disabled: no token is configured (Api:Tokens)");
        var what = needed switch
        {
            RequiredAccess.Read => "a read",
            RequiredAccess.Review => "a review action",
            _ => "a write",
        };
        return ApiProblems.Unauthorized($"{reason}: {what} needs 'Authorization: Bearer <token>' with a token of Api:Tokens");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Control API: refused {Method} {Path}: {Reason} (token {TokenName})")]
    private partial void LogRefused(string method, string path, string reason, string tokenName);
}

public static class ApiAccessExtensions
{
    /// <summary>The routes of <paramref name="builder"/> need <paramref name="needed"/> of their caller (see <see cref="ApiAccess"/>).</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, RequiredAccess needed) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter((context, next) => context.HttpContext.RequestServices.GetRequiredService<ApiAccess>().CheckAsync(context, next, needed));
        builder.ProducesProblem(StatusCodes.Status401Unauthorized);
        if (needed == RequiredAccess.ChangeCameras)
            builder.ProducesProblem(StatusCodes.Status403Forbidden);
        return builder;
    }
}
