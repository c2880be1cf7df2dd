using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Ingest;

public sealed class SourceUrlTests
{
    [Fact]
    public void Credentials_and_query_strings_are_redacted_for_everything_but_ffmpeg()
    {
        var url = SourceUrl.Parse("rtsp://admin:S3cret!pw@10.1.2.3:554/Streaming/Channels/101?token=abc");

        Assert.Equal(SourceKind.Rtsp, url.Kind);
        Assert.Equal("rtsp://admin:S3cret!pw@10.1.2.3:554/Streaming/Channels/101?token=abc", url.Input);
        Assert.Equal("rtsp://***@10.1.2.3:554/Streaming/Channels/101?***", url.Redacted);
        Assert.Equal(url.Redacted, url.ToString());
        Assert.DoesNotContain("S3cret", url.RedactText($"[tcp @ 0x55] Connection to {url.Input} failed; user admin:S3cret!pw"));
        Assert.DoesNotContain("token=abc", url.RedactText("GET /Streaming/Channels/101?token=abc"));
    }

    [Fact]
    public void Percent_encoded_passwords_are_redacted_in_both_spellings()
    {
        var url = SourceUrl.Parse("rtsp://user:p%40ss@camera.local/live");
        Assert.Equal("rtsp://***@camera.local/live", url.Redacted);
        var text = url.RedactText("auth failed for user:p@ss and user:p%40ss");
        Assert.DoesNotContain("p@ss", text);
        Assert.DoesNotContain("p%40ss", text);
    }

    [Theory]
    [InlineData("rtsp://", "not a valid RTSP URL")]
    [InlineData("rtsp://cam/$(rm -rf ~)", "spaces")]
    [InlineData("ftp://camera/stream.mjpg", "scheme 'ftp' is not supported")]
    [InlineData("/nonexistent/video.mp4", "does not exist")]
    [InlineData("", "is empty")]
    public void Bad_urls_are_refused_with_the_reason(string value, string reason)
    {
        Assert.False(SourceUrl.TryParse(value, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp:/admin:S3cret@10.0.0.7/stream1", "'rtsp:/***@10.0.0.7/stream1' is neither a file nor a URL: a stream URL needs '://'")]
    [InlineData("rtsp//admin:S3cret@10.0.0.7/stream1", "'rtsp//***@10.0.0.7/stream1' is neither a file nor a URL")]
    [InlineData("rtsp:admin:S3cret@10.0.0.7/stream1", "'rtsp:***@10.0.0.7/stream1' is neither a file nor a URL")]
    [InlineData("admin:S3cret@10.0.0.7/stream1", "file '***@10.0.0.7/stream1' does not exist")]
    [InlineData("rtsp:/10.0.0.7/stream1?token=S3cret", "'rtsp:/10.0.0.7/stream1?***' is neither a file nor a URL")]
    public void A_url_mistyped_without_its_scheme_separator_is_refused_without_its_credentials(string value, string expected)
    {
        Assert.False(SourceUrl.TryParse(value, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_file_is_given_to_ffmpeg_with_the_file_protocol_and_its_full_path()
    {
        var url = SourceUrl.Parse(RepoPaths.VtestAvi);
        Assert.Equal(SourceKind.File, url.Kind);
        Assert.Equal("file:" + RepoPaths.VtestAvi, url.Input);
        Assert.Equal(RepoPaths.VtestAvi, url.LocalPath);
    }
}
