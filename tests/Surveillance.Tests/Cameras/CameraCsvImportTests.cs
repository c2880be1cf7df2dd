using System.Text;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Cameras;

/// <summary><c>cameras import-csv</c>, run as operators run it: the engine binary, in a process of its own.</summary>
public sealed class CameraCsvImportTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camera-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A platform's export as it comes: BOM, CRLF, upper-case aliases, quoting, Chinese names, credentials in URLs.</summary>
    private const string Export =
        "ID,Name,URL,Latitude,Longitude,Grid_ID,Vendor\r\n" +
        "34020000001320000001,\"Gate 1, north\",rtsp://admin:Gate%401pass@10.20.0.11:554/Streaming/Channels/101,31.2304,121.4737,grid-001,hik\r\n" +
        "34020000001320000002,南京路步行街东口,rtsp://10.20.0.12/live/ch1,31.2352,121.4823,grid-002,dahua\r\n" +
        "34020000001320000003,Bad url camera,rtsp//operator:Sup3rSecret@10.20.0.13/ch1,31.2401,121.4901,grid-002,hik\r\n" +
        "34020000001320000004,\"Car park \"\"B\"\"\",rtsp://viewer:Pa55word@10.20.0.14/ch1?token=abc123,31.2450,121.4950,,uniview\r\n";

    private static readonly string[] Secrets = ["Gate%401pass", "Gate@1pass", "Sup3rSecret", "Pa55word", "abc123"];

    [Fact]
    public async Task An_export_becomes_the_camera_file_and_a_bad_row_is_reported_by_line_and_id_without_its_password()
    {
        var csv = WriteCsv(Export);
        var output = Path.Combine(_directory, "cameras.json");

        var (exitCode, stdout, stderr) = await ImportAsync(csv, "--output", output);

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"{csv}: line 4 (id '34020000001320000003'): Url: 'rtsp//***@10.20.0.13/ch1' is neither a file nor a URL: a stream URL needs '://' after its scheme (rtsp://[user:password@]host[:port]/path)",
            stderr.Trim());
        Assert.Contains("wrote 3 camera(s)", stdout, StringComparison.Ordinal);
        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, stdout + stderr, StringComparison.Ordinal));

        var file = Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(output));
        Assert.Empty(file.Problems);
        Assert.Equal(["34020000001320000001", "34020000001320000002", "34020000001320000004"], file.Records.Select(r => r.Id));
        Assert.Equal(["Gate 1, north", "南京路步行街东口", "Car park \"B\""], file.Records.Select(r => r.Camera.Name));
        Assert.Equal("rtsp://admin:Gate%401pass@10.20.0.11:554/Streaming/Channels/101", file.Records[0].Camera.Url);
        Assert.Equal([31.2304, 31.2352, 31.2450], file.Records.Select(r => r.Camera.Latitude!.Value));
        Assert.Equal([121.4737, 121.4823, 121.4950], file.Records.Select(r => r.Camera.Longitude!.Value));
        Assert.Equal(["grid-001", "grid-002", ""], file.Records.Select(r => r.Camera.GridId));
        Assert.All(file.Records, r => Assert.Equal(CameraKind.Fixed, r.Camera.Kind));
        Assert.All(file.Records, r => Assert.True(r.Enabled));
    }

    [Fact]
    public async Task An_export_without_problems_exits_zero()
    {
        var csv = WriteCsv("id,name,url,lat,lon,grid\n34020000001320000001,Gate,rtsp://10.20.0.11/ch1,31.23,121.47,grid-001\n", bom: false);
        var output = Path.Combine(_directory, "out", "cameras.json");

        var (exitCode, stdout, stderr) = await ImportAsync(csv, "--output", output);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr.Trim());
        Assert.Contains("wrote 1 camera(s)", stdout, StringComparison.Ordinal);
        Assert.Single(Assert.IsType<CameraFileLoaded>(CameraInventoryFile.Load(output)).Records);
    }

    [Theory]
    [InlineData("id,name,lat,lon\n1,Gate,31,121\n", "line 1: the header lacks the column(s) url/rtsp")]
    [InlineData("id,name,url,lat,lon\n1,\"Gate,rtsp://10.20.0.11/ch1,31,121\n", "line 2: a quoted field is not closed")]
    public async Task Unusable_input_exits_two_and_writes_nothing(string content, string expected)
    {
        var csv = WriteCsv(content, bom: false);
        var output = Path.Combine(_directory, "cameras.json");

        var (exitCode, _, stderr) = await ImportAsync(csv, "--output", output);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"{csv}: {expected}", stderr.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    private string WriteCsv(string content, bool bom = true)
    {
        var path = Path.Combine(_directory, "platform.csv");
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: bom));
        return path;
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> ImportAsync(params string[] args) =>
        HostCommand.RunAsync(_directory, TimeSpan.FromSeconds(60), ["cameras", "import-csv", .. args]);
}
