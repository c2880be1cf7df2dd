using System.Buffers;
using Surveillance.Analytics;

namespace Surveillance.Host.Pipeline;

/// <summary>
/// What the detector found in one frame, handed from the detection stage to the alert stage.
/// <see cref="Items"/> is rented; the alert stage returns it with <see cref="Return"/>.
/// </summary>
public readonly record struct FrameDetections(
    string CameraId, long Sequence, DateTime CapturedAt, int FrameWidth, int FrameHeight, Detection[] Items, int Count)
{
    public ReadOnlySpan<Detection> Detections => Items.AsSpan(0, Count);

    public static Detection[] Rent(int count) => count == 0 ? [] : ArrayPool<Detection>.Shared.Rent(count);

    public void Return()
    {
        if (Items.Length > 0)
            ArrayPool<Detection>.Shared.Return(Items);
    }
}
