using Surveillance.Analytics;

namespace Surveillance.Tests.Analytics;

public sealed class DecoderTests
{
    private static readonly ClassFilter PeopleAndCars = new(["person", "car"]);

    private static float[] YoloRow(float cx, float cy, float w, float h, float objectness, int classId, float probability)
    {
        var row = new float[YoloV5Decoder.RowLength];
        (row[0], row[1], row[2], row[3], row[4]) = (cx, cy, w, h, objectness);
        row[5 + classId] = probability;
        return row;
    }

    [Fact]
    public void YoloV5_rows_become_frame_boxes_scored_objectness_times_class()
    {
        float[] output =
        [
            .. YoloRow(0.5f, 0.5f, 0.25f, 0.5f, 0.9f, 0, 0.9f),    // person, 0.81
            .. YoloRow(0.5f, 0.5f, 0.25f, 0.5f, 0.2f, 0, 0.99f),   // weak objectness
            .. YoloRow(0.2f, 0.2f, 0.1f, 0.1f, 0.95f, 17, 0.95f),  // a horse: not of interest
            .. YoloRow(0.2f, 0.2f, 0.1f, 0.1f, 0.6f, 2, 0.5f),     // car, 0.3: below threshold
        ];
        // A 1280×640 frame in a 640 input: scale 0.5, 160 rows of padding above.
        var geometry = InputGeometry.Letterbox(1280, 640, 640, 640);
        var candidates = new Detection[4];

        var count = YoloV5Decoder.Decode(output, 640, 640, geometry, 0.5f, PeopleAndCars, candidates);

        var person = Assert.Single(candidates.AsSpan(0, count).ToArray());
        Assert.Equal("person", person.Label);
        Assert.Equal(0.81f, person.Score, 4);
        // Model box x 240..400, y 160..480 → frame x 480..800, y 0..640.
        Assert.Equal(480f, person.Box.X1, 2);
        Assert.Equal(800f, person.Box.X2, 2);
        Assert.Equal(0f, person.Box.Y1, 2);
        Assert.Equal(640f, person.Box.Y2, 2);
    }

    [Fact]
    public void YoloV5_rows_of_an_oblong_input_are_normalised_by_its_width_and_its_height()
    {
        float[] output = [.. YoloRow(0.5f, 0.5f, 0.25f, 0.5f, 0.9f, 0, 0.9f)];
        // A 1280×960 frame in a 640×480 input: scale 0.5, no padding.
        var geometry = InputGeometry.Letterbox(1280, 960, 640, 480);
        var candidates = new Detection[1];

        var count = YoloV5Decoder.Decode(output, 640, 480, geometry, 0.5f, PeopleAndCars, candidates);

        Assert.Equal(1, count);
        Assert.Equal((0f, 0f), (geometry.PadX, geometry.PadY));
        // Model box x 240..400 (of 640), y 120..360 (of 480) → frame x 480..800, y 240..720.
        var person = candidates[0];
        Assert.Equal(480f, person.Box.X1, 2);
        Assert.Equal(800f, person.Box.X2, 2);
        Assert.Equal(240f, person.Box.Y1, 2);
        Assert.Equal(720f, person.Box.Y2, 2);
    }

    [Fact]
    public void NanoDet_places_boxes_at_the_expected_distances_from_each_grid_point()
    {
        const int inputSize = 32, stride = 8, points = 16; // a 4×4 grid
        var scores = new float[points * CocoClasses.Count];
        var boxes = new float[points * NanoDetDecoder.BoxLength];
        // Point 5 is row 1, column 1: the anchor point (8, 8). Car at 0.8.
        scores[5 * CocoClasses.Count + 2] = 0.8f;
        // Left and top peak at bin 1 (8 px); right and bottom at bin 2 (16 px).
        int[] peaks = [1, 1, 2, 2];
        for (var side = 0; side < 4; side++)
            boxes[5 * NanoDetDecoder.BoxLength + side * NanoDetDecoder.Bins + peaks[side]] = 40f;
        // Point 6 scores a person just under the threshold.
        scores[6 * CocoClasses.Count] = 0.49f;

        // A 64×64 frame stretched into 32×32: model pixels are two frame pixels.
        var geometry = InputGeometry.Stretch(64, 64, inputSize, inputSize);
        var candidates = new Detection[points];
        var count = NanoDetDecoder.DecodeLevel(scores, boxes, stride, inputSize, geometry, 0.5f, PeopleAndCars, candidates);

        var car = Assert.Single(candidates.AsSpan(0, count).ToArray());
        Assert.Equal("car", car.Label);
        Assert.Equal(0.8f, car.Score, 4);
        Assert.Equal(0f, car.Box.X1, 1);   // (8 - 8) × 2
        Assert.Equal(0f, car.Box.Y1, 1);
        Assert.Equal(48f, car.Box.X2, 1);  // (8 + 16) × 2
        Assert.Equal(48f, car.Box.Y2, 1);
    }

    [Fact]
    public void NanoDet_expected_bin_is_the_mean_of_the_softmax()
    {
        Assert.Equal(5f, NanoDetDecoder.ExpectedBin(new float[11]), 4); // uniform over 0..10
        var peaked = new float[11];
        peaked[3] = 50;
        Assert.Equal(3f, NanoDetDecoder.ExpectedBin(peaked), 4);
    }
}
