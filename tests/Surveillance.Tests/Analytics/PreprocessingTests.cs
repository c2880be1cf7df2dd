using Surveillance.Analytics;

namespace Surveillance.Tests.Analytics;

/// <summary>
/// A 200×100 frame whose left half is pure blue and right half pure red (BGR bytes), so every tensor value
/// can be predicted: channel order, scaling to 0..1, layout and padding.
/// </summary>
public sealed class PreprocessingTests
{
    private const int Width = 200, Height = 100;

    private static byte[] BlueLeftRedRight()
    {
        var pixels = new byte[Width * Height * 3];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                var i = (y * Width + x) * 3;
                if (x < Width / 2)
                    pixels[i] = 255; // B
                else
                    pixels[i + 2] = 255; // R
            }
        }
        return pixels;
    }

    private static void AssertRgb(float[] expected, float[] actual)
    {
        Assert.Equal(3, actual.Length);
        for (var c = 0; c < 3; c++)
            Assert.Equal(expected[c], actual[c], 5);
    }

    [Fact]
    public void Letterbox_keeps_the_aspect_ratio_pads_with_grey_and_writes_RGB_NHWC_in_0_to_1()
    {
        using var pre = new LetterboxPreprocessor(64);
        var geometry = pre.Process(BlueLeftRedRight(), Width, Height);

        // 200×100 into 64: scale 0.32 → 64×32, centred vertically with 16 rows of padding above and below.
        Assert.Equal(new[] { 1L, 64, 64, 3 }, pre.Shape);
        Assert.Equal(0.32f, geometry.ScaleX, 5);
        Assert.Equal(0f, geometry.PadX);
        Assert.Equal(16f, geometry.PadY);

        float[] Rgb(int row, int col) => pre.Tensor.AsSpan((row * 64 + col) * 3, 3).ToArray();
        var grey = 114f / 255;
        AssertRgb([grey, grey, grey], Rgb(0, 0));
        AssertRgb([grey, grey, grey], Rgb(63, 63));
        AssertRgb([0f, 0f, 1f], Rgb(32, 8));   // blue
        AssertRgb([1f, 0f, 0f], Rgb(32, 56));  // red
    }

    [Fact]
    public void Letterbox_into_an_input_of_the_frames_shape_scales_without_padding()
    {
        // 200×100 into a 64×32 input (a model shaped like the frame): scale 0.32 both ways, every row is picture.
        using var pre = new LetterboxPreprocessor(64, 32);
        var geometry = pre.Process(BlueLeftRedRight(), Width, Height);

        Assert.Equal(new[] { 1L, 32, 64, 3 }, pre.Shape);
        Assert.Equal(64 * 32 * 3, pre.Tensor.Length);
        Assert.Equal(0.32f, geometry.ScaleX, 5);
        Assert.Equal(0.32f, geometry.ScaleY, 5);
        Assert.Equal(0f, geometry.PadX);
        Assert.Equal(0f, geometry.PadY);

        float[] Rgb(int row, int col) => pre.Tensor.AsSpan((row * 64 + col) * 3, 3).ToArray();
        AssertRgb([0f, 0f, 1f], Rgb(0, 0));    // blue, top left: no grey band
        AssertRgb([1f, 0f, 0f], Rgb(31, 63));  // red, bottom right
        AssertRgb([0f, 0f, 1f], Rgb(16, 8));
    }

    [Fact]
    public void Letterbox_into_an_oblong_input_pads_only_the_difference_of_shape()
    {
        // 200×100 into 64×48: scale 0.32 → 64×32, centred with 8 rows of padding above and below.
        using var pre = new LetterboxPreprocessor(64, 48);
        var geometry = pre.Process(BlueLeftRedRight(), Width, Height);

        Assert.Equal(new[] { 1L, 48, 64, 3 }, pre.Shape);
        Assert.Equal(0f, geometry.PadX);
        Assert.Equal(8f, geometry.PadY);
        float[] Rgb(int row, int col) => pre.Tensor.AsSpan((row * 64 + col) * 3, 3).ToArray();
        var grey = 114f / 255;
        AssertRgb([grey, grey, grey], Rgb(7, 0));
        AssertRgb([0f, 0f, 1f], Rgb(8, 0));
        AssertRgb([1f, 0f, 0f], Rgb(39, 63));
        AssertRgb([grey, grey, grey], Rgb(40, 63));

        var box = geometry.ToFrame(0, 1f, 0, 8, 32, 40);
        Assert.Equal(0f, box.Box.Y1, 3);
        Assert.Equal(100f, box.Box.X2, 3);
        Assert.Equal(100f, box.Box.Y2, 3);
    }

    [Fact]
    public void Letterbox_maps_a_box_back_to_frame_pixels()
    {
        var geometry = InputGeometry.Letterbox(Width, Height, 64, 64);
        var box = geometry.ToFrame(0, 1f, 0, 16, 32, 48);
        Assert.Equal(0f, box.Box.X1, 3);
        Assert.Equal(0f, box.Box.Y1, 3);
        Assert.Equal(100f, box.Box.X2, 3);
        Assert.Equal(100f, box.Box.Y2, 3);
    }

    [Fact]
    public void Letterbox_handles_a_change_of_frame_size()
    {
        using var pre = new LetterboxPreprocessor(64);
        pre.Process(BlueLeftRedRight(), Width, Height);
        var tall = new byte[50 * 100 * 3];
        Array.Fill(tall, (byte)255); // white
        var geometry = pre.Process(tall, 50, 100);

        Assert.Equal(16f, geometry.PadX);
        Assert.Equal(0f, geometry.PadY);
        // The rows that were padding for the wide frame now hold the tall one: no stale pixels survive.
        AssertRgb([1f, 1f, 1f], pre.Tensor.AsSpan((2 * 64 + 32) * 3, 3).ToArray());
        Assert.Equal(114f / 255, pre.Tensor[(2 * 64 + 2) * 3], 5);
    }

    [Fact]
    public void Plain_resize_stretches_the_frame_and_writes_RGB_planes_NCHW()
    {
        using var pre = new ResizePreprocessor(64);
        var geometry = pre.Process(BlueLeftRedRight(), Width, Height);

        Assert.Equal(new[] { 1L, 3, 64, 64 }, pre.Shape);
        Assert.Equal(64f / Width, geometry.ScaleX, 5);
        Assert.Equal(64f / Height, geometry.ScaleY, 5);

        const int plane = 64 * 64;
        float At(int channel, int row, int col) => pre.Tensor[channel * plane + row * 64 + col];
        Assert.Equal(1f, At(2, 10, 5));   // B plane, left
        Assert.Equal(0f, At(0, 10, 5));   // R plane, left
        Assert.Equal(1f, At(0, 50, 60));  // R plane, right
        Assert.Equal(0f, At(2, 50, 60));
        Assert.Equal(0f, At(1, 50, 60));  // no green anywhere
    }

    [Fact]
    public void A_buffer_smaller_than_the_frame_is_refused()
    {
        using var pre = new LetterboxPreprocessor(64);
        Assert.Throws<ArgumentException>(() => pre.Process(new byte[10], Width, Height));
    }
}
