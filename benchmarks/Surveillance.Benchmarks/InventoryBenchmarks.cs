using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Surveillance.Cameras.Inventory;

namespace Surveillance.Benchmarks;

/// <summary>
/// Loading a camera file of 10,000 records as a city platform exports it (90 % disabled; 20-digit GB/T 28181 ids,
/// RTSP URLs with credentials, positions, grid ids; every 50th camera with a zone and two rules, every 20th with
/// motion settings): read, parsed, bound and validated. The baseline reads and parses the same file as a
/// <see cref="JsonDocument"/> only. The memory the result keeps is measured once, at setup, and printed.
/// </summary>
[MemoryDiagnoser]
public class InventoryBenchmarks
{
    public const int Records = 10_000;

    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"inventory-benchmark-{Environment.ProcessId}.json");
        File.WriteAllText(_path, Generate(Records));

        var first = (CameraFileLoaded)CameraInventoryFile.Load(_path);
        if (first.Records.Count != Records || first.Problems.Count != 0)
            throw new InvalidOperationException($"the generated file has problems: {string.Join("; ", first.Problems.SelectMany(p => p.Lines).Take(3))}");
        first = null;

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var held = CameraInventoryFile.Load(_path);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(held);
        Console.WriteLine($"// Retained by the loaded inventory: {after - before:N0} bytes for {Records:N0} records, {(after - before) / (double)Records:N0} bytes per record");
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, Description = "read and parse the JSON only")]
    public int ParseOnly()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(_path));
        return document.RootElement.GetArrayLength();
    }

    [Benchmark(Description = "load and validate 10,000 records")]
    public int Load() => ((CameraFileLoaded)CameraInventoryFile.Load(_path)).Records.Count;

    private static string Generate(int count)
    {
        var random = new Random(28181);
        var json = new StringBuilder("[\n");
        for (var i = 0; i < count; i++)
        {
            var id = $"3402000000132{i:0000000}";
            var lat = 31.10 + random.NextDouble() * 0.3;
            var lon = 121.30 + random.NextDouble() * 0.4;
            var host = $"10.{20 + i / 65_000}.{i / 250 % 256}.{i % 250 + 1}";
            json.Append(CultureInfo.InvariantCulture,
                $$"""  {"Id":"{{id}}","Enabled":{{(i % 10 == 0 ? "true" : "false")}},"Name":"南京路 {{i}} 号 东口","Url":"rtsp://admin:Hk{{random.Next(100_000, 999_999)}}@{{host}}:554/Streaming/Channels/101","Latitude":{{lat:0.000000}},"Longitude":{{lon:0.000000}},"GridId":"grid-{{i % 500:000}}" """);
            if (i % 20 == 0)
                json.Append(""","Motion":{"PixelThreshold":25,"MinChangedFraction":0.001},"Masks":["0,0 0.3,0 0.3,0.1 0,0.1"]""");
            if (i % 50 == 0)
                json.Append(""","Zones":[{"Name":"gate","Points":"0.2,0.4 0.8,0.4 0.8,1 0.2,1"}],"Rules":[{"Name":"night-intrusion","Type":"intrusion","Zone":"gate","Severity":"high","ActiveFrom":"22:00","ActiveTo":"06:00"},{"Name":"crowd","Type":"crowd","Zone":"gate","Seconds":10,"MinCount":8}]""");
            json.Append(i == count - 1 ? "}\n" : "},\n");
        }
        return json.Append("]\n").ToString();
    }
}
