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
        InvalidOperationException { Message: var message } when ConversionFailure().Match(message) is { Success: true } m =>
            [$"Configuration error: {m.Groups["key"].Value}: '{m.Groups["value"].Value}' is not a valid {FriendlyType(m.Groups["type"].Value)}"],
        InvalidOperationException { Message: var message } when UnknownKeys().Match(message) is { Success: true } m =>
            [$"Configuration error: unknown setting(s) {m.Groups["keys"].Value} in {m.Groups["type"].Value.Split('.')[^1]}; check the spelling"],
        // Parts of the engine that cannot start for a reason the operator can fix (a busy port, a model that
        // does not load) say so with an InvalidOperationException whose message names the key.
        InvalidOperationException { Message: var message } => [$"Startup error: {message}"],
        _ => [],
    };

    private static string FriendlyType(string type) => type switch
    {
        "System.Double" or "System.Single" => "number",
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "boolean (true or false)",
        "Surveillance.Ingest.CameraKind" => "camera kind (fixed or patrol)",
        _ => type.Split('.')[^1],
    };

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'")]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"configuration keys? (?<keys>.*) (?:was|were) not found on type '(?<type>[^']*)'", RegexOptions.IgnoreCase)]
    private static partial Regex UnknownKeys();
}
