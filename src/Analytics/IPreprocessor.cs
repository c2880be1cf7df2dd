namespace Surveillance.Analytics;

/// <summary>Turns a BGR frame into a model's input tensor, in place, into a buffer it owns and reuses.</summary>
public interface IPreprocessor : IDisposable
{
    /// <summary>The input tensor this preprocessor writes one image of, valid until the next call of <see cref="Process"/>.</summary>
    float[] Tensor { get; }

    /// <summary>The shape of one image, batch of one.</summary>
    long[] Shape { get; }

    /// <param name="bgr">Pixels, <paramref name="width"/> × <paramref name="height"/> × 3 bytes, BGR, row-major.</param>
    InputGeometry Process(ReadOnlySpan<byte> bgr, int width, int height);
}
