namespace Surveillance.Ingest;

/// <summary>
/// Identifiers that become MQTT topic levels and metric labels (camera ids, grid ids) must not split or
/// widen a topic, so they are restricted to a safe alphabet.
/// </summary>
public static class TopicSegment
{
    public const string Rule = "may contain only letters, digits, '-', '_' and '.' (at most 64 characters)";

    public static bool IsValid(string value)
    {
        if (value.Length is 0 or > 64)
            return false;
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                return false;
        }
        return true;
    }
}
