using System.Text.RegularExpressions;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Turns what the configuration binder throws for a bad value or an unknown key into one line that names the
/// key and the problem, for configuration errors at start and for camera-file records alike.
/// </summary>
public static partial class BindingFailure
{
    /// <returns>
    /// <c>DetectFps: 'fast' is not a valid number</c> (the key as bound: <c>Cameras:0:DetectFps</c> for
    /// configuration), <c>unknown setting(s) 'Uri' in CameraOptions; check the spelling</c>, or null when the
    /// exception is not a binding failure.
    /// </returns>
    public static string? Describe(Exception exception)
    {
        // The binder wraps a value it cannot convert in a vaguer exception; the inner one names key and value.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (ConversionFailure().Match(e.Message) is { Success: true } conversion)
                return $"{conversion.Groups["key"].Value}: '{conversion.Groups["value"].Value}' is not a valid {FriendlyType(conversion.Groups["type"].Value)}";
        }
        // Inside a list (Cameras:0:Rules:1) the binder wraps it in a vaguer exception too.
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (UnknownKeys().Match(e.Message) is { Success: true } unknown)
                return $"unknown setting(s) {unknown.Groups["keys"].Value} in {unknown.Groups["type"].Value.Split('.')[^1]}; check the spelling";
        }
        return null;
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
