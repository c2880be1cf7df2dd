using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Host;

/// <summary>The control API's tokens and the loopback rule: bad settings stop the engine at start with a line naming the key.</summary>
public sealed class ApiConfigurationTests
{
    private const string GoodToken = "0123456789abcdef0123";

    [Theory]
    [InlineData("Configuration error: Api:Tokens:0:Value: must be at least 16 characters (was 5); use e.g. 'openssl rand -hex 32'", "--Api:Tokens:0:Value=short", "--Api:Tokens:0:Role=admin")]
    [InlineData("Configuration error: Api:Tokens:0:Value: is required (a random string of at least 16 characters, e.g. from 'openssl rand -hex 32')", "--Api:Tokens:0:Role=admin", "--Api:Tokens:0:Name=ops")]
    [InlineData("Configuration error: Api:Tokens:0:Role: 'viewer' is not a role (admin, command, grid:<gridId>)", "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=viewer")]
    [InlineData("Configuration error: Api:Tokens:0:Role: is required (admin, command, grid:<gridId>)", "--Api:Tokens:0:Value=" + GoodToken)]
    [InlineData("Configuration error: Api:Tokens:1:Value: is the same as Api:Tokens:0:Value; give each token its own value",
        "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=admin", "--Api:Tokens:1:Value=" + GoodToken, "--Api:Tokens:1:Role=admin")]
    [InlineData("Configuration error: unknown setting(s) 'Secret' in ApiToken; check the spelling", "--Api:Tokens:0:Secret=" + GoodToken)]
    [InlineData("Configuration error: Api:Tokens: none is set, and Metrics:Host '0.0.0.0' opens the HTTP endpoint beyond this machine; set Api:Tokens:0:Value (at least 16 characters) and Api:Tokens:0:Role=admin, or set Metrics:Host=127.0.0.1", "--Metrics:Host=0.0.0.0")]
    [InlineData("Configuration error: Api:Tokens: none is set, and Metrics:Host '+' opens the HTTP endpoint beyond this machine; set Api:Tokens:0:Value (at least 16 characters) and Api:Tokens:0:Role=admin, or set Metrics:Host=127.0.0.1", "--Metrics:Host=+")]
    [InlineData("Configuration error: Api:Tokens: none is set, and Metrics:Host '192.168.1.20' opens the HTTP endpoint beyond this machine; set Api:Tokens:0:Value (at least 16 characters) and Api:Tokens:0:Role=admin, or set Metrics:Host=127.0.0.1", "--Metrics:Host=192.168.1.20")]
    public void A_bad_api_setting_is_one_line_naming_the_key(string expected, params string[] settings)
    {
        Assert.Equal([expected], StartupCheck.ErrorsFor(settings));
    }

    [Theory]
    [InlineData("Configuration error: Api:Tokens:0:Role: 'grid:grid-A' limits the token to grid 'grid-A', but Api:AnonymousReads is true, so callers without a token read every grid; set Api:AnonymousReads=false",
        "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=grid:grid-A")]
    [InlineData("Configuration error: Api:Tokens:0:Role: 'grid:' does not name a grid: write grid:<gridId>, e.g. grid:grid-001 (a grid id may contain only letters, digits, '-', '_' and '.' (at most 64 characters))",
        "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=grid:", "--Api:AnonymousReads=false")]
    [InlineData("Configuration error: Api:Tokens:0:Role: 'grid:a/b' does not name a grid: write grid:<gridId>, e.g. grid:grid-001 (a grid id may contain only letters, digits, '-', '_' and '.' (at most 64 characters))",
        "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=grid:a/b", "--Api:AnonymousReads=false")]
    public void A_grid_token_needs_anonymous_reads_off_and_a_grid_id(string expected, params string[] settings)
    {
        Assert.Equal([expected], StartupCheck.ErrorsFor(settings));
    }

    [Fact]
    public void Grid_and_command_tokens_with_anonymous_reads_off_are_accepted()
    {
        Assert.Empty(StartupCheck.ErrorsFor("--Api:AnonymousReads=false",
            "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=grid:grid-A",
            "--Api:Tokens:1:Value=" + GoodToken + "1", "--Api:Tokens:1:Role=Command"));
    }

    [Fact]
    public void A_token_value_is_never_quoted_in_an_error()
    {
        var errors = StartupCheck.ErrorsFor("--Api:Tokens:0:Value=s3cr3t-short", "--Api:Tokens:0:Role=root");
        Assert.Equal(2, errors.Count);
        Assert.DoesNotContain(errors, e => e.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--Metrics:Host=127.0.0.1")]
    [InlineData("--Metrics:Host=127.0.0.2")]
    [InlineData("--Metrics:Host=::1")]
    [InlineData("--Metrics:Host=localhost")]
    public void Loopback_needs_no_token(string host)
    {
        Assert.Empty(StartupCheck.ErrorsFor(host));
    }

    [Fact]
    public void All_interfaces_with_an_admin_token_is_accepted()
    {
        Assert.Empty(StartupCheck.ErrorsFor("--Metrics:Host=0.0.0.0", "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=Admin"));
    }

    [Theory]
    [InlineData("Configuration error: Api:Tokens:0:Role: 'operator' is not a role (admin, command, grid:<gridId>)", "--Api:Tokens:0:Value=" + GoodToken, "--Api:Tokens:0:Role=operator")]
    [InlineData("Configuration error: Api:Tokens: none is set, and Metrics:Host '0.0.0.0' opens the HTTP endpoint beyond this machine; set Api:Tokens:0:Value (at least 16 characters) and Api:Tokens:0:Role=admin, or set Metrics:Host=127.0.0.1", "--Metrics:Host=0.0.0.0")]
    public async Task The_binary_exits_with_2_and_the_line(string expected, params string[] settings)
    {
        await using var engine = await ChildProcess.StartAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Surveillance.Host.dll"), $"--Detector:Model={RepoPaths.YoloV5s}",
             $"--Cameras:0:Url={RepoPaths.VtestAvi}", $"--Metrics:Port={FreePort.Next()}", .. settings],
            readyLine: null, TimeSpan.FromSeconds(5));

        Assert.Equal(2, await engine.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        // Everything it printed, stdout and stderr, is that one line.
        Assert.Equal(expected, engine.Output.Trim());
        Assert.DoesNotContain("Metrics at", engine.Output, StringComparison.Ordinal);
    }
}
