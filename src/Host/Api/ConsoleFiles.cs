using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Surveillance.Host.Api;

/// <summary>
/// The operators' console at <c>/</c>: static files built from <c>src/Host/Console</c> into the engine's output
/// folder (<c>Console/</c>), Leaflet among them, so that the page needs nothing from beyond this endpoint.
/// </summary>
public static class ConsoleFiles
{
    public const string Folder = "Console";

    /// <summary>
    /// Everything the page loads or calls is on this endpoint: a map tile, a script or a font from elsewhere is refused
    /// by the browser rather than fetched, which is what a command centre without internet gets anyway.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The folder the console is served from: beside the engine's assembly.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, Folder);

    /// <summary>False where the engine was built without the console (its output folder has no <c>Console/index.html</c>).</summary>
    public static bool IsBuilt => File.Exists(Path.Combine(Root, "index.html"));

    public static void Use(WebApplication app)
    {
        var files = new PhysicalFileProvider(Root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                // Revalidated every time (ETag): a new engine's console replaces the old one at once.
                headers[HeaderNames.CacheControl] = "no-cache";
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
    }
}
