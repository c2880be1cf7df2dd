using Microsoft.Extensions.Options;
using Surveillance.Cameras.Inventory;

namespace Surveillance.Host.Configuration;

/// <summary>
/// Turns what stops the engine from starting into one line per problem for the operator, naming the
/// configuration key, instead of a stack trace.
/// </summary>
public static class StartupErrors
{
    /// <returns>The lines to print, or none when the exception is not a startup problem the operator can fix.</returns>
    public static IReadOnlyList<string> Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures.Select(f => $"Configuration error: {f}")],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Describe)],
        InvalidOperationException invalid => [DescribeInvalidOperation(invalid)],
        _ => [],
    };

    private static string DescribeInvalidOperation(InvalidOperationException exception) =>
        BindingFailure.Describe(exception) is { } binding
            ? $"Configuration error: {binding}"
            // Parts of the engine that cannot start for a reason the operator can fix (a busy port, a model that
            // does not load) say so with an InvalidOperationException whose message names the key.
            : $"Startup error: {exception.Message}";
}
