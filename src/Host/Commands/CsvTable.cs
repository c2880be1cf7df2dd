using System.Text;

namespace Surveillance.Host.Commands;

/// <summary>
/// Comma-separated text as RFC 4180 has it: fields in double quotes may hold commas, line breaks and doubled
/// quotes (<c>""</c>); lines end in CRLF or LF. Each row keeps the line it starts on, for messages.
/// </summary>
public static class CsvTable
{
    public sealed record Row(int Line, IReadOnlyList<string> Fields);

    /// <exception cref="FormatException">A quoted field is not closed, or text follows its closing quote.</exception>
    public static List<Row> Parse(string text)
    {
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var quoted = false;   // inside a quoted field
        var wasQuoted = false; // the current field was quoted (and is closed)
        var i = 0;

        void EndField()
        {
            // Unquoted fields lose the spaces around them, which exports often add after the commas; quoted ones are kept as written.
            fields.Add(wasQuoted ? field.ToString() : field.ToString().Trim());
            field.Clear();
            wasQuoted = false;
        }

        void EndRow()
        {
            EndField();
            // A blank line is no row.
            if (fields.Count > 1 || fields[0].Length > 0)
                rows.Add(new Row(rowLine, [.. fields]));
            fields.Clear();
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    wasQuoted = true;
                }
                else
                {
                    if (c == '\n')
                        line++;
                    field.Append(c);
                }
                i++;
                continue;
            }

            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0 && !wasQuoted:
                    field.Clear();
                    quoted = true;
                    break;
                case ',':
                    EndField();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowLine = line;
                    break;
                default:
                    if (wasQuoted && !char.IsWhiteSpace(c))
                        throw new FormatException($"line {line}: text after the closing quote of a field (a quote inside a quoted field is written twice: \"\")");
                    if (!wasQuoted)
                        field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted)
            throw new FormatException($"line {rowLine}: a quoted field is not closed");
        if (fields.Count > 0 || field.Length > 0 || wasQuoted)
            EndRow();
        return rows;
    }
}
