using System.Globalization;

namespace Surveillance.Analytics.Evaluation;

/// <summary>
/// MOTChallenge text files: <c>frame,id,left,top,width,height,conf,x,y,z</c>, one box per line; ground truth and
/// results share the format.
/// </summary>
public static class MotFile
{
    public static IReadOnlyList<MotBox> Read(string path)
    {
        using var reader = File.OpenText(path);
        return Read(reader, path);
    }

    /// <param name="name">Named in errors.</param>
    public static IReadOnlyList<MotBox> Read(TextReader reader, string name)
    {
        var boxes = new List<MotBox>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            var fields = line.Split(',');
            if (fields.Length < 7 || !TryInt(fields[0], out var frame) || !TryInt(fields[1], out var id)
                || !TryDouble(fields[2], out var left) || !TryDouble(fields[3], out var top)
                || !TryDouble(fields[4], out var width) || !TryDouble(fields[5], out var height) || !TryDouble(fields[6], out var conf))
                throw new FormatException($"{name}, line {number}: not 'frame,id,left,top,width,height,conf,...': '{line}'");
            if (frame < 1 || width <= 0 || height <= 0)
                throw new FormatException($"{name}, line {number}: frames start at 1 and boxes have a size: '{line}'");
            boxes.Add(new MotBox(frame, id, left, top, width, height, conf));
        }
        return boxes;
    }

    /// <summary>One result line, as the MOTChallenge devkit reads it.</summary>
    public static string Line(in MotBox box) => string.Create(CultureInfo.InvariantCulture,
        $"{box.Frame},{box.Id},{box.Left:0.##},{box.Top:0.##},{box.Width:0.##},{box.Height:0.##},{box.Confidence:0.###},-1,-1,-1");

    private static bool TryInt(string s, out int value)
    {
        // Some files write ids and frames as "1.0".
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            return true;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
        {
            value = (int)d;
            return true;
        }
        return false;
    }

    private static bool TryDouble(string s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
