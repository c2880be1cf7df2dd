using System.Text;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Tests.Ingest;

public sealed class GpsFixParserTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private static GpsFixRejection Parse(string json, out GpsFix fix) => GpsFixParser.TryParse(Encoding.UTF8.GetBytes(json), Now, out fix);

    [Fact]
    public void A_complete_report_is_read_with_its_time_in_UTC()
    {
        Assert.Equal(GpsFixRejection.None,
            Parse("""{"lat":22.5431,"lon":114.0579,"fixTime":"2026-11-26T19:59:58.500+08:00","heading":90.5,"speed":12.3,"accuracy":4,"unit":"x"}""", out var fix));
        Assert.Equal(new GpsFix(22.5431, 114.0579, new DateTime(2026, 11, 26, 11, 59, 58, 500, DateTimeKind.Utc), 90.5, 12.3, 4), fix);
        Assert.Equal(DateTimeKind.Utc, fix.FixTime.Kind);
    }

    [Fact]
    public void Optional_fields_may_be_missing_or_null()
    {
        Assert.Equal(GpsFixRejection.None, Parse("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z","heading":null}""", out var fix));
        Assert.Null(fix.Heading);
        Assert.Null(fix.Speed);
    }

    [Theory]
    [InlineData("", GpsFixRejection.Malformed)]
    [InlineData("garbage", GpsFixRejection.Malformed)]
    [InlineData("{\"lat\":22.5,\"lon\":114.0,\"fixTime\":\"2026-11-26T11:59:59Z\"", GpsFixRejection.Malformed)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z"}{}""", GpsFixRejection.Malformed)]
    [InlineData("""{"lat":"22.5","lon":114.0,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.Malformed)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":1764158399}""", GpsFixRejection.Malformed)]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":1}}}}}""", GpsFixRejection.Malformed)]
    [InlineData("""[22.5,114.0]""", GpsFixRejection.Malformed)]
    [InlineData("""{"lon":114.0,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.MissingField)]
    [InlineData("""{"lat":22.5,"lon":114.0}""", GpsFixRejection.MissingField)]
    [InlineData("""{"lat":-90.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":22.5,"lon":180.01,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":0,"lon":0,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z","heading":360}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z","speed":-1}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z","accuracy":-3}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":1e999,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z"}""", GpsFixRejection.OutOfRange)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"soon"}""", GpsFixRejection.BadTime)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59"}""", GpsFixRejection.BadTime)]
    [InlineData("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T12:05:00Z"}""", GpsFixRejection.BadTime)]
    public void Bad_reports_are_refused_with_their_reason(string json, GpsFixRejection expected)
    {
        Assert.Equal(expected, Parse(json, out _));
    }

    [Fact]
    public void Oversized_payloads_are_refused_before_parsing()
    {
        var huge = new byte[GpsFixParser.MaxPayloadBytes + 1];
        Assert.Equal(GpsFixRejection.TooLarge, GpsFixParser.TryParse(huge, Now, out _));
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(42);
        var valid = Encoding.UTF8.GetBytes("""{"lat":22.5,"lon":114.0,"fixTime":"2026-11-26T11:59:59Z","heading":10,"speed":3}""");
        for (var i = 0; i < 20_000; i++)
        {
            byte[] payload;
            if (i % 2 == 0)
            {
                payload = new byte[random.Next(0, 200)];
                random.NextBytes(payload);
            }
            else
            {
                // Valid JSON mangled: a byte changed, or cut short.
                payload = valid[..random.Next(0, valid.Length + 1)];
                if (payload.Length > 0)
                    payload[random.Next(payload.Length)] = (byte)random.Next(256);
            }
            var rejection = GpsFixParser.TryParse(payload, Now, out var fix);
            Assert.True(rejection != GpsFixRejection.None || (fix.Lat is >= -90 and <= 90 && fix.Lon is >= -180 and <= 180));
        }
    }
}
