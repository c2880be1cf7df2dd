namespace Surveillance.Analytics.Tracking;

/// <summary>
/// Classes a detector confuses for one object from frame to frame (a van is a car in one frame and a truck
/// in the next). A track may be matched to any class of its family and is labelled by the class that scored
/// most over its life.
/// </summary>
internal static class ClassFamily
{
    private const int Car = 2;
    private const int Bicycle = 1;
    private const int Motorcycle = 3;
    private const int Bus = 5;
    private const int Truck = 7;

    public static int Of(int classId) => classId switch
    {
        Car or Bus or Truck => Car,
        Bicycle or Motorcycle => Bicycle,
        _ => classId,
    };
}
