using System.Text;
using Microsoft.Extensions.Configuration;
using Surveillance.Cameras.Inventory;
using Surveillance.Ingest;

namespace Surveillance.Host.Commands;

/// <summary>
/// <c>cameras import-csv &lt;platform.csv&gt; [--output &lt;cameras.json&gt;]</c>: turns a video platform's camera
/// export (columns id, name, url, lat, lon, grid) into the camera file. Each row is bound and checked as a record
/// of the file is; bad rows are reported by line and id on stderr and left out, the good ones are written.
/// </summary>
public static class ImportCsvCommand
{
    public const string Usage = "usage: Surveillance.Host cameras import-csv <platform.csv> [--output <cameras.json>]";

    /// <summary>Every row is written.</summary>
    public const int AllImported = 0;

    /// <summary>Some rows were left out; the others are written.</summary>
    public const int RowsSkipped = 1;

    /// <summary>Nothing could be imported: bad arguments, an unreadable file, no usable header.</summary>
    public const int Unusable = 2;

    private const string DefaultOutput = "cameras.json";

    /// <summary>Each column the command reads, with the header names platforms give it (case-insensitive).</summary>
    private static readonly (string Key, bool Required, string[] Names)[] Columns =
    [
        (nameof(CameraOptions.Id), true, ["id", "camera_id", "cameraid", "device_id", "deviceid"]),
        (nameof(CameraOptions.Name), false, ["name", "camera_name"]),
        (nameof(CameraOptions.Url), true, ["url", "rtsp", "rtsp_url", "stream_url"]),
        (nameof(CameraOptions.Latitude), true, ["lat", "latitude"]),
        (nameof(CameraOptions.Longitude), true, ["lon", "lng", "longitude"]),
        (nameof(CameraOptions.GridId), false, ["grid", "gridid", "grid_id"]),
    ];

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        if (!TryParseArguments(args, out var csvPath, out var outputPath, out var argumentError))
        {
            errors.WriteLine(argumentError);
            errors.WriteLine(Usage);
            return Unusable;
        }

        string text;
        try
        {
            // Strict: a GBK export read as UTF-8 would silently turn every Chinese name into replacement characters.
            text = File.ReadAllText(csvPath, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException)
        {
            errors.WriteLine($"{csvPath}: is not UTF-8 text; save the export as UTF-8 (with or without BOM) and import it again");
            return Unusable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{csvPath}: cannot be read ({e.Message})");
            return Unusable;
        }
        // File.ReadAllText drops a UTF-8 BOM; this is for one that was doubled or came from another tool.
        text = text.TrimStart('\uFEFF');

        List<CsvTable.Row> rows;
        try
        {
            rows = CsvTable.Parse(text);
        }
        catch (FormatException e)
        {
            errors.WriteLine($"{csvPath}: {e.Message}");
            return Unusable;
        }
        if (rows.Count == 0)
        {
            errors.WriteLine($"{csvPath}: is empty; the first row must name the columns (id, name, url, lat, lon, grid)");
            return Unusable;
        }
        if (!TryMapHeader(rows[0], out var positions, out var headerError))
        {
            errors.WriteLine($"{csvPath}: line {rows[0].Line}: {headerError}");
            return Unusable;
        }

        var outputName = Path.GetFileName(outputPath);
        var records = new List<CameraRecord>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var row in rows.Skip(1))
        {
            var values = Columns.Select((column, c) => (column.Key, Value: positions[c] is { } p && p < row.Fields.Count ? row.Fields[p] : ""))
                .Where(v => v.Value.Length > 0)
                .Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))
                .Append(KeyValuePair.Create(nameof(CameraOptions.Kind), (string?)"fixed"))
                .ToList();
            var id = values.FirstOrDefault(v => v.Key == nameof(CameraOptions.Id)).Value;
            var problems = new List<string>();
            if (!string.IsNullOrEmpty(id) && !ids.TryAdd(id, row.Line))
                problems.Add($"Id: '{id}' is already the id of line {ids[id]}; ids must be unique");

            CameraRecord? record = null;
            try
            {
                record = CameraRecordBinder.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), CameraOrigin.InFile(outputName, records.Count));
                problems.AddRange(CameraRecordValidator.Validate(record, ""));
            }
            catch (InvalidOperationException e)
            {
                problems.Add(BindingFailure.Describe(e) ?? e.Message);
            }

            if (record is not null && problems.Count == 0)
            {
                records.Add(record);
                continue;
            }
            skipped++;
            var where = string.IsNullOrEmpty(id) ? $"line {row.Line}" : $"line {row.Line} (id '{id}')";
            // The validators never echo a URL's credentials; the raw row is never printed.
            foreach (var problem in problems)
                errors.WriteLine($"{csvPath}: {where}: {problem}");
        }

        if (records.Count == 0 && skipped > 0)
        {
            errors.WriteLine($"no row could be imported; {outputPath} is left as it was");
            return RowsSkipped;
        }
        try
        {
            CameraInventoryFile.Write(outputPath, records);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"{outputPath}: cannot be written ({e.Message})");
            return Unusable;
        }
        output.WriteLine($"wrote {records.Count} camera(s) to {outputPath}" + (skipped > 0 ? $"; {skipped} row(s) skipped, see above" : ""));
        return skipped > 0 ? RowsSkipped : AllImported;
    }

    private static bool TryParseArguments(IReadOnlyList<string> args, out string csvPath, out string outputPath, out string error)
    {
        csvPath = "";
        outputPath = DefaultOutput;
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is "--output" or "-o")
            {
                if (i + 1 >= args.Count)
                {
                    error = "--output needs a file name";
                    return false;
                }
                outputPath = args[++i];
            }
            else if (args[i].StartsWith('-'))
            {
                error = $"unknown option '{args[i]}'";
                return false;
            }
            else if (csvPath.Length == 0)
            {
                csvPath = args[i];
            }
            else
            {
                error = $"one CSV file at a time ('{args[i]}' is a second one)";
                return false;
            }
        }
        if (csvPath.Length == 0)
        {
            error = "the CSV file is missing";
            return false;
        }
        return true;
    }

    /// <summary>The position of each of <see cref="Columns"/> in the header; null for an optional column the export lacks.</summary>
    private static bool TryMapHeader(CsvTable.Row header, out int?[] positions, out string error)
    {
        positions = new int?[Columns.Length];
        error = "";
        var missing = new List<string>();
        for (var c = 0; c < Columns.Length; c++)
        {
            var names = Columns[c].Names;
            var found = header.Fields.Select((name, i) => (name, i)).Where(h => names.Contains(h.name.Trim(), StringComparer.OrdinalIgnoreCase)).ToList();
            if (found.Count > 1)
            {
                error = $"columns {string.Join(" and ", found.Select(f => $"'{f.name}'"))} both hold {Columns[c].Key}; keep one";
                return false;
            }
            if (found.Count == 1)
                positions[c] = found[0].i;
            else if (Columns[c].Required)
                missing.Add(string.Join("/", names.Take(2)));
        }
        if (missing.Count > 0)
        {
            error = $"the header lacks the column(s) {string.Join(", ", missing)} (the first row must name the columns: id, name, url, lat, lon, grid)";
            return false;
        }
        return true;
    }
}
