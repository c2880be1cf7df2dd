using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Surveillance.Host.Configuration;

/// <summary>
/// Turns what stops the engine from starting into one line per problem for the operator, naming the
/// configuration key, instead of a stack trace.
/// </summary>
public static partial class StartupErrors
{
    /// <returns>The lines to print, or none when the exception is not a startup problem the operator can fix.</returns>
    public static IReadOnlyList<string> Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures.Select(f => $"Configuration error: {f}")],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Describe)],
        InvalidOperationException invalid => [DescribeInvalidOperation(invalid)],
        _ => [],
    };

    private static string DescribeInvalidOperation(InvalidOperationException exception)
    {
        // The binder wraps a value it cannot convert in a vaguer exception; the inner one names key and value.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (ConversionFailure().Match(e.Message) is { Success: true } conversion)
            {
                return $"Configuration error: {conversion.Groups["key"].Value}: '{conversion.Groups["value"].Value}' is not a valid {FriendlyType(conversion.Groups["type"].Value)}";
            }
        }
        // Inside a list (Cameras:0:Rules:1) the binder wraps it in a vaguer exception too.
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (UnknownKeys().Match(e.Message) is { Success: true } unknown)
                return $"Configuration error: unknown setting(s) {unknown.Groups["keys"].Value} in {unknown.Groups["type"].Value.Split('.')[^1]}; check the spelling";
        }
        // Parts of the engine that cannot start for a reason the operator can fix (a busy port, a model that
        // does not load) say so with an InvalidOperationException whose message names the key.
        return $"Startup error: {exception.Message}";
    }

    private static string FriendlyType(string type) => type switch
    {
        "System.Double" or "System.Single" => "number",
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "boolean (true or false)",
        "Surveillance.Ingest.CameraKind" => "camera kind (fixed or patrol)",
        "Surveillance.Ingest.RtspTransport" => "transport (tcp or udp)",
        _ => EnumNames(type) is { Length: > 1 } names ? $"value ({string.Join(", ", names[..^1])} or {names[^1]})" : type.Split('.')[^1],
    };

    /// <summary>The names an enum setting takes, found among the loaded assemblies by the type name the binder gives.</summary>
    private static string[]? EnumNames(string type) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(type)).FirstOrDefault(t => t is { IsEnum: true }) is { } found
            ? Enum.GetNames(found)
            : null;

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"properties were not found on the instance of (?<type>[^:]+): (?<keys>.*)$")]
    private static partial Regex UnknownKeys();
}
