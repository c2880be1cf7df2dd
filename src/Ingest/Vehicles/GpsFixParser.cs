using System.Globalization;
using System.Text.Json;

namespace Surveillance.Ingest.Vehicles;

/// <summary>
/// Reads the position JSON vehicles publish (<c>{"lat":…,"lon":…,"fixTime":"…Z","heading":…,"speed":…,"accuracy":…}</c>)
/// and refuses anything that is not a plausible fix. Never throws on bad input: 4G links truncate and
/// vehicle units have bugs.
/// </summary>
public static class GpsFixParser
{
    public const int MaxPayloadBytes = 4096;

    /// <summary>How far a fix may lie in the future (receiver clock ahead of ours) before it is refused.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    public static GpsFixRejection TryParse(ReadOnlySpan<byte> json, DateTime now, out GpsFix fix)
    {
        fix = default;
        if (json.Length > MaxPayloadBytes)
            return GpsFixRejection.TooLarge;

        double? lat = null, lon = null, heading = null, speed = null, accuracy = null;
        string? fixTime = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return GpsFixRejection.Malformed;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                    return GpsFixRejection.Malformed;
                switch (name)
                {
                    case "lat": lat = Number(ref reader); break;
                    case "lon": lon = Number(ref reader); break;
                    case "heading": heading = Number(ref reader); break;
                    case "speed": speed = Number(ref reader); break;
                    case "accuracy": accuracy = Number(ref reader); break;
                    case "fixTime":
                        if (reader.TokenType != JsonTokenType.String)
                            return GpsFixRejection.Malformed;
                        fixTime = reader.GetString();
                        break;
                    default:
                        reader.Skip(); // unknown fields are allowed: units add their own
                        break;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return GpsFixRejection.Malformed;
        }
        catch (JsonException)
        {
            return GpsFixRejection.Malformed;
        }
        catch (InvalidOperationException)
        {
            return GpsFixRejection.Malformed; // a number where a string was expected, or the reverse
        }

        if (lat is not { } la || lon is not { } lo || fixTime is null)
            return GpsFixRejection.MissingField;
        if (!double.IsFinite(la) || !double.IsFinite(lo) || la is < -90 or > 90 || lo is < -180 or > 180 || (la == 0 && lo == 0))
            return GpsFixRejection.OutOfRange;
        if (heading is { } h && (!double.IsFinite(h) || h < 0 || h >= 360))
            return GpsFixRejection.OutOfRange;
        if (speed is { } s && (!double.IsFinite(s) || s < 0 || s > 150))
            return GpsFixRejection.OutOfRange;
        if (accuracy is { } a && (!double.IsFinite(a) || a < 0))
            return GpsFixRejection.OutOfRange;
        if (!DateTimeOffset.TryParse(fixTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            || !HasZone(fixTime) || time.UtcDateTime > now + MaxClockSkew)
        {
            return GpsFixRejection.BadTime;
        }

        fix = new GpsFix(la, lo, time.UtcDateTime, heading, speed, accuracy);
        return GpsFixRejection.None;
    }

    private static double? Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.Null => null,
        _ => throw new InvalidOperationException("not a number"),
    };

    /// <summary>A time without a zone would be read in the engine's zone: refuse it rather than guess.</summary>
    private static bool HasZone(string time) =>
        time.EndsWith('Z') || time.EndsWith('z') || (time.Length > 6 && time[^6] is '+' or '-' && time[^3] == ':');
}
