using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// One JSON object as configuration keys and values (<c>{"Motion":{"Enabled":false}}</c> becomes
/// <c>Motion:Enabled = false</c>), the way the configuration's own JSON files are read, so that a file record is
/// bound with exactly the keys and errors of <c>Cameras:N:*</c>.
/// </summary>
internal static class JsonRecordKeys
{
    /// <param name="record">A JSON object.</param>
    /// <param name="problems">Gets a line for each key written twice (keys are case-insensitive, as in configuration).</param>
    public static List<KeyValuePair<string, string?>> Flatten(JsonElement record, List<string> problems)
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        Add(record, "", pairs, problems);
        return pairs;
    }

    private static void Add(JsonElement element, string path, List<KeyValuePair<string, string?>> pairs, List<string> problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                HashSet<string>? seen = null;
                foreach (var property in element.EnumerateObject())
                {
                    seen ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    var key = path.Length == 0 ? property.Name : ConfigurationPath.Combine(path, property.Name);
                    if (!seen.Add(property.Name))
                        problems.Add($"{key}: is written more than once (keys are case-insensitive)");
                    else
                        Add(property.Value, key, pairs, problems);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    Add(item, ConfigurationPath.Combine(path, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture)), pairs, problems);
                break;
            case JsonValueKind.String:
                pairs.Add(KeyValuePair.Create(path, element.GetString()));
                break;
            case JsonValueKind.Number:
                // The number as written: the binder parses it exactly as it parses a configuration value.
                pairs.Add(KeyValuePair.Create(path, (string?)element.GetRawText()));
                break;
            case JsonValueKind.True or JsonValueKind.False:
                pairs.Add(KeyValuePair.Create(path, (string?)(element.ValueKind == JsonValueKind.True ? "true" : "false")));
                break;
            default:
                // null: the setting keeps its default, as an absent key does.
                break;
        }
    }
}
