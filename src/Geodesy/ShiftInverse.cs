namespace Surveillance.Geodesy;

/// <summary>
/// Undoes a map datum's shift by fixed-point iteration: the shift changes slowly across the map, so moving the guess
/// back by the error its shift leaves shrinks that error a hundredfold or more per step.
/// </summary>
internal static class ShiftInverse
{
    /// <summary>Iteration stops once a step moves the point by less than this (about 0.1 mm).</summary>
    private const double ConvergedDegrees = 1e-9;

    private const int MaxIterations = 30;

    /// <returns>The point that <paramref name="shift"/> takes to <paramref name="target"/>, starting from <paramref name="guess"/>.</returns>
    public static GeoPoint Solve(Func<GeoPoint, GeoPoint> shift, GeoPoint target, GeoPoint guess)
    {
        for (var i = 0; i < MaxIterations; i++)
        {
            var shifted = shift(guess);
            double errorLat = shifted.Lat - target.Lat, errorLon = shifted.Lon - target.Lon;
            guess = new GeoPoint(guess.Lat - errorLat, guess.Lon - errorLon);
            if (Math.Abs(errorLat) < ConvergedDegrees && Math.Abs(errorLon) < ConvergedDegrees)
                break;
        }
        return guess;
    }
}
