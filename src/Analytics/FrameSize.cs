namespace Surveillance.Analytics;

internal static class FrameSize
{
    public static void Check(ReadOnlySpan<byte> bgr, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (bgr.Length < (long)width * height * 3)
            throw new ArgumentException($"A {width}x{height} BGR frame needs {width * height * 3} bytes; got {bgr.Length}.", nameof(bgr));
    }
}
