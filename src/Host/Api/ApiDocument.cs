using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Surveillance.Host.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: every route, and the bearer token that writes need.</summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    private const string BearerScheme = "bearer";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Surveillance node",
                Version = "v1",
                Description = "Health, metrics and the cameras of one engine. Reads are open unless Api:AnonymousReads is false; everything else needs 'Authorization: Bearer <token>' with a token of Api:Tokens (admin, command or grid:<gridId>), and a grid token sees only its grid.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A token of Api:Tokens: admin, command or grid:<gridId>.",
            };
            return Task.CompletedTask;
        });
        // Writes are exactly the routes that are not GET (see ApiAccess).
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (!string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase))
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    });
}
