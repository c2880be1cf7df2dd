using Surveillance.Analytics;

namespace Surveillance.Tests.Analytics;

public sealed class NonMaxSuppressionTests
{
    [Fact]
    public void Overlapping_boxes_of_one_class_keep_the_best_and_other_classes_are_untouched()
    {
        Detection[] detections =
        [
            new(0, 0.6f, 20, 20, 30, 30),   // person elsewhere: kept
            new(0, 0.8f, 1, 1, 11, 11),     // person overlapping the best one (IoU 0.68): suppressed
            new(2, 0.7f, 1, 1, 11, 11),     // car on the same spot: another class, kept
            new(0, 0.9f, 0, 0, 10, 10),     // best person: kept
            new(0, 0.5f, 6, 6, 16, 16),     // person overlapping the best by IoU 0.09: kept
        ];

        var kept = NonMaxSuppression.Apply(detections, 0.45f);

        Assert.Equal(4, kept);
        Assert.Equal(
            [(0, 0.9f), (2, 0.7f), (0, 0.6f), (0, 0.5f)],
            detections.Take(kept).Select(d => (d.ClassId, d.Score)).ToArray());
    }

    [Fact]
    public void Intersection_over_union_of_known_boxes()
    {
        var a = new Detection(0, 1, 0, 0, 10, 10);
        Assert.Equal(1f, a.Box.IntersectionOverUnion(a.Box), 5);
        Assert.Equal(0f, a.Box.IntersectionOverUnion(new Detection(0, 1, 10, 0, 20, 10).Box), 5);
        Assert.Equal(25f / 175f, a.Box.IntersectionOverUnion(new Detection(0, 1, 5, 5, 15, 15).Box), 5);
    }

    [Fact]
    public void Nothing_in_nothing_out()
    {
        Assert.Equal(0, NonMaxSuppression.Apply([], 0.45f));
    }
}
