using System.Text.RegularExpressions;

namespace Surveillance.Tests.Fixtures;

/// <summary>
/// The metric names a PromQL expression (or a Grafana query, with its <c>$variables</c>) selects: every identifier
/// that is not a function, a keyword, a label inside braces or grouping parentheses, or part of a range, a number,
/// a string or a variable.
/// </summary>
public static partial class PromQlNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "inf", "nan",
    };

    public static IReadOnlySet<string> In(string expression)
    {
        // Grafana's label_values(selector, label): the label is not a metric.
        var text = LabelValues().Replace(expression, "$1");
        text = Strings().Replace(text, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            if (!Keywords.Contains(match.Value))
                names.Add(match.Value);
        }
        return names;
    }

    [GeneratedRegex(@"label_values\((.*),\s*\w+\s*\)")]
    private static partial Regex LabelValues();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>An identifier not glued to a number, a variable's <c>$</c> or a dot, and not called like a function.</summary>
    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()(?![\w])")]
    private static partial Regex Identifier();
}
