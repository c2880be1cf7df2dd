namespace Surveillance.Analytics;

internal static class TensorSlot
{
    /// <summary>Checks that image <paramref name="slot"/> of <paramref name="imageLength"/> values fits in the batch tensor.</summary>
    public static void Check(float[] batch, int slot, int imageLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        if ((long)(slot + 1) * imageLength > batch.Length)
            throw new ArgumentException($"A tensor of {batch.Length} values has no image {slot} of {imageLength} values.", nameof(slot));
    }
}
