namespace Surveillance.Ingest.Vehicles;

/// <summary>Why a position report was not used. The names are metric label values.</summary>
public enum GpsFixRejection
{
    None,

    /// <summary>Not JSON, or a field of the wrong type.</summary>
    Malformed,

    /// <summary>Larger than any real position report.</summary>
    TooLarge,

    /// <summary><c>lat</c>, <c>lon</c> or <c>fixTime</c> is missing.</summary>
    MissingField,

    /// <summary>A value outside its range, not a number, or exactly 0,0 (a receiver's default, not a place).</summary>
    OutOfRange,

    /// <summary><c>fixTime</c> is not an ISO-8601 time with a zone, or lies in the future.</summary>
    BadTime,

    /// <summary>Not later than the vehicle's previous fix: a replay or a reordered message.</summary>
    NonMonotonic,

    /// <summary>No configured patrol camera rides on this vehicle.</summary>
    UnknownVehicle,
}

public static class GpsFixRejectionNames
{
    public static string Of(GpsFixRejection rejection) => rejection switch
    {
        GpsFixRejection.None => "none",
        GpsFixRejection.Malformed => "malformed",
        GpsFixRejection.TooLarge => "too-large",
        GpsFixRejection.MissingField => "missing-field",
        GpsFixRejection.OutOfRange => "out-of-range",
        GpsFixRejection.BadTime => "bad-time",
        GpsFixRejection.NonMonotonic => "non-monotonic",
        GpsFixRejection.UnknownVehicle => "unknown-vehicle",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };
}
