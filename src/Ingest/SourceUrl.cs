using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Surveillance.Ingest;

/// <summary>What kind of input a camera's <see cref="CameraOptions.Url"/> names.</summary>
public enum SourceKind
{
    /// <summary>An RTSP stream (<c>rtsp://</c> or <c>rtsps://</c>): IP cameras and NVRs.</summary>
    Rtsp,

    /// <summary>An RTMP stream (<c>rtmp://</c>, <c>rtmps://</c>): how many vehicle units push video to a relay.</summary>
    Rtmp,

    /// <summary>HTTP-FLV or HLS (<c>http://</c>, <c>https://</c>): what media relays commonly serve.</summary>
    Http,

    /// <summary>A local video file, looped forever at its native rate (demo and test sources).</summary>
    File,
}

/// <summary>
/// A parsed camera source. Camera URLs carry passwords, so everything meant for logs, metrics or
/// messages goes through <see cref="Redacted"/>; only ffmpeg ever sees <see cref="Input"/>.
/// </summary>
public sealed class SourceUrl
{
    private readonly string[] _secrets;

    private SourceUrl(SourceKind kind, string input, string redacted, string[] secrets, string? localPath = null, DnsEndPoint? endpoint = null)
    {
        Kind = kind;
        Endpoint = endpoint;
        LocalPath = localPath;
        Input = input;
        Redacted = redacted;
        _secrets = secrets;
    }

    public SourceKind Kind { get; }

    /// <summary>A live stream from the network, as opposed to a local file.</summary>
    public bool IsNetwork => Kind != SourceKind.File;

    /// <summary>The input exactly as ffmpeg must receive it, credentials included.</summary>
    public string Input { get; }

    /// <summary>The host and port a stream is fetched from (the scheme's default port where none is given); null for a file.</summary>
    public DnsEndPoint? Endpoint { get; }

    /// <summary>The full path of a local file source; null for a stream.</summary>
    public string? LocalPath { get; }

    /// <summary>The URL with any <c>user:password@</c> and query string replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    public static SourceUrl Parse(string value) =>
        TryParse(value, out var url, out var error) ? url : throw new FormatException(error);

    public static bool TryParse(string value, [NotNullWhen(true)] out SourceUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty";
            return false;
        }
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                error = "must not contain spaces or control characters";
                return false;
            }
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
            return TryParseFile(value, out url, out error);

        var scheme = value[..schemeEnd].ToLowerInvariant();
        if (scheme == "file")
            return TryParseFile(value, out url, out error);
        SourceKind kind;
        switch (scheme)
        {
            case "rtsp" or "rtsps":
                kind = SourceKind.Rtsp;
                break;
            case "rtmp" or "rtmps":
                kind = SourceKind.Rtmp;
                break;
            case "http" or "https":
                kind = SourceKind.Http;
                break;
            default:
                error = $"scheme '{scheme}' is not supported (use rtsp://, rtsps://, rtmp://, http(s):// or a local file path)";
                return false;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"is not a valid {scheme.ToUpperInvariant()} URL (expected {scheme}://[user:password@]host[:port]/path)";
            return false;
        }

        // The user info and the query (which often carries a token) are secrets, in both spellings.
        string[] secrets = [.. new[] { uri.UserInfo, uri.Query.TrimStart('?') }
            .Where(s => s.Length > 0)
            .SelectMany(s => new[] { s, Uri.UnescapeDataString(s) })
            .Distinct()
            .OrderByDescending(s => s.Length)];
        url = new SourceUrl(kind, value, Redact(uri), secrets, endpoint: new DnsEndPoint(uri.IdnHost, uri.Port > 0 ? uri.Port : DefaultPort(scheme)));
        error = null;
        return true;
    }

    /// <summary>Removes this source's credentials from text that came back from ffmpeg.</summary>
    public string RedactText(string text)
    {
        if (_secrets.Length == 0)
            return text;
        var redacted = text.Replace(Input, Redacted, StringComparison.Ordinal);
        foreach (var secret in _secrets)
            redacted = redacted.Replace(secret, "***", StringComparison.Ordinal);
        return redacted;
    }

    public override string ToString() => Redacted;

    private static readonly string[] StreamSchemes = ["rtsp", "rtsps", "rtmp", "rtmps", "http", "https"];

    private static bool LooksLikeMistypedUrl(string value) =>
        StreamSchemes.Any(scheme => value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                                    && value.Length > scheme.Length && value[scheme.Length] is ':' or '/');

    /// <summary>
    /// Text that failed to parse as a URL, with whatever could be a password (before the last <c>@</c>) or a token
    /// (after <c>?</c>) replaced by <c>***</c>; a leading scheme, however mistyped, is kept so the mistake can be seen.
    /// </summary>
    private static string RedactLoosely(string value)
    {
        var query = value.IndexOf('?');
        if (query >= 0)
            value = value[..query] + "?***";
        var at = value.LastIndexOf('@');
        if (at < 0)
            return value;
        var keep = 0;
        if (StreamSchemes.OrderByDescending(s => s.Length).FirstOrDefault(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase)) is { } scheme)
        {
            keep = scheme.Length;
            while (keep < at && value[keep] is ':' or '/')
                keep++;
        }
        return value[..keep] + "***" + value[at..];
    }

    private static int DefaultPort(string scheme) => scheme switch
    {
        "rtsp" => 554,
        "rtsps" => 322,
        "rtmp" => 1935,
        "http" => 80,
        _ => 443, // rtmps, https
    };

    private static string Redact(Uri uri)
    {
        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        var port = uri.IsDefaultPort || uri.Port < 0 ? "" : $":{uri.Port}";
        var userInfo = string.IsNullOrEmpty(uri.UserInfo) ? "" : "***@";
        var query = string.IsNullOrEmpty(uri.Query) ? "" : "?***";
        return $"{builder.Scheme}://{userInfo}{uri.Host}{port}{uri.AbsolutePath}{query}";
    }

    private static bool TryParseFile(string value, [NotNullWhen(true)] out SourceUrl? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        string path;
        if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.IsFile)
            {
                error = "is not a valid file:// URL";
                return false;
            }
            path = uri.LocalPath;
        }
        else
        {
            path = Path.GetFullPath(value);
        }

        if (!File.Exists(path))
        {
            // Not a file, so perhaps a URL typed wrong, credentials and all: never echo those.
            var shown = RedactLoosely(value);
            error = LooksLikeMistypedUrl(value)
                ? $"'{shown}' is neither a file nor a URL: a stream URL needs '://' after its scheme (rtsp://[user:password@]host[:port]/path)"
                : $"file '{shown}' does not exist";
            return false;
        }

        // The "file:" protocol prefix stops ffmpeg from reading a colon in the name as a protocol.
        url = new SourceUrl(SourceKind.File, "file:" + path, value, secrets: [], localPath: path);
        error = null;
        return true;
    }
}
