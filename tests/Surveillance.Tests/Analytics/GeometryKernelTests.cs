using System.Numerics;
using Surveillance.Alerts;
using Surveillance.Analytics.Geometry;
using Surveillance.Geodesy;

namespace Surveillance.Tests.Analytics;

/// <summary>The one box, polygon, segment and geo point that tracking, rules and alerts share.</summary>
public sealed class GeometryKernelTests
{
    [Fact]
    public void Intersection_over_union_of_known_boxes()
    {
        var a = new BoundingBox(0, 0, 10, 10);
        Assert.Equal(1f, a.IntersectionOverUnion(a), 6);
        // Overlap 5×5 = 25 of 100 + 100 - 25 = 175.
        Assert.Equal(25f / 175f, a.IntersectionOverUnion(new BoundingBox(5, 5, 15, 15)), 6);
        Assert.Equal(25f / 175f, new BoundingBox(5, 5, 15, 15).IntersectionOverUnion(a), 6);
        // Inside: overlap 4 of 100.
        Assert.Equal(4f / 100f, a.IntersectionOverUnion(new BoundingBox(2, 2, 4, 4)), 6);
        // Touching along an edge, and apart.
        Assert.Equal(0f, a.IntersectionOverUnion(new BoundingBox(10, 0, 20, 10)));
        Assert.Equal(0f, a.IntersectionOverUnion(new BoundingBox(30, 30, 40, 40)));
    }

    [Fact]
    public void Centre_foot_point_size_and_area()
    {
        var box = new BoundingBox(10, 20, 30, 60);
        Assert.Equal(new Vector2(20, 40), box.Centre);
        Assert.Equal(new Vector2(20, 60), box.FootPoint);    // middle of the bottom edge (y grows downwards)
        Assert.Equal(20f, box.Width);
        Assert.Equal(40f, box.Height);
        Assert.Equal(800f, box.Area);
        Assert.Equal(new Vector2(0.2f, 0.3f), box.NormalizedFootPoint(100, 200));
        Assert.Equal(0f, new BoundingBox(30, 20, 10, 60).Area);    // inverted: no area, not a negative one
        Assert.Equal(box, BoundingBox.FromCentre(20, 40, 20, 40));
    }

    [Fact]
    public void Pixels_and_normalised_coordinates_round_trip()
    {
        var pixels = new BoundingBox(64, 48, 320, 240);
        var normalised = pixels.ToNormalized(640, 480);
        Assert.Equal(new BoundingBox(0.1f, 0.1f, 0.5f, 0.5f), normalised);
        var back = normalised.ToPixels(640, 480);
        Assert.Equal(pixels.X1, back.X1, 3);
        Assert.Equal(pixels.Y1, back.Y1, 3);
        Assert.Equal(pixels.X2, back.X2, 3);
        Assert.Equal(pixels.Y2, back.Y2, 3);
    }

    [Fact]
    public void Clamp_and_union()
    {
        Assert.Equal(new BoundingBox(0, 0, 640, 480), new BoundingBox(-5, -7, 700, 500).Clamp(640, 480));
        Assert.Equal(new BoundingBox(1, 2, 3, 4), new BoundingBox(1, 2, 3, 4).Clamp(640, 480));
        Assert.Equal(new BoundingBox(0, 5, 30, 40), new BoundingBox(0, 10, 10, 40).Union(new BoundingBox(20, 5, 30, 15)));
    }

    [Fact]
    public void An_alert_box_holds_the_object_in_whole_pixels_of_the_frame()
    {
        // Top-left rounded down, bottom-right up: the whole pixels cover the box.
        Assert.Equal(new AlertBox(10, 20, 31, 41, 640, 480), AlertBox.From(new BoundingBox(10.7f, 20.2f, 30.1f, 40.9f), 640, 480));
        // Cut to the frame.
        Assert.Equal(new AlertBox(0, 5, 640, 480, 640, 480), AlertBox.From(new BoundingBox(-3.5f, 5, 700.2f, 490), 640, 480));
    }

    [Fact]
    public void A_point_is_in_a_polygon_by_the_even_odd_rule_with_half_open_edges()
    {
        var square = NormalizedPolygon.Parse("0.2,0.2 0.6,0.2 0.6,0.6 0.2,0.6");
        Assert.True(square.Contains(new Vector2(0.4f, 0.4f)));
        Assert.False(square.Contains(new Vector2(0.1f, 0.4f)));
        Assert.False(square.Contains(new Vector2(0.4f, 0.9f)));
        // On the edges: the top and left ones belong to the polygon, the bottom and right ones do not.
        Assert.True(square.Contains(new Vector2(0.2f, 0.4f)));
        Assert.True(square.Contains(new Vector2(0.4f, 0.2f)));
        Assert.False(square.Contains(new Vector2(0.6f, 0.4f)));
        Assert.False(square.Contains(new Vector2(0.4f, 0.6f)));
        Assert.True(square.Contains(new Vector2(0.2f, 0.2f)));     // top-left corner
        Assert.False(square.Contains(new Vector2(0.6f, 0.6f)));    // bottom-right corner

        // Two zones side by side: a point on the edge they share is in exactly one of them.
        var right = NormalizedPolygon.Parse("0.6,0.2 0.9,0.2 0.9,0.6 0.6,0.6");
        Assert.True(square.Contains(new Vector2(0.6f, 0.4f)) ^ right.Contains(new Vector2(0.6f, 0.4f)));

        // A U shape: the notch between its arms is outside, the arms and the base inside.
        var u = NormalizedPolygon.Parse("0.1,0.1 0.3,0.1 0.3,0.6 0.7,0.6 0.7,0.1 0.9,0.1 0.9,0.9 0.1,0.9");
        Assert.False(u.Contains(new Vector2(0.5f, 0.3f)));
        Assert.True(u.Contains(new Vector2(0.2f, 0.3f)));
        Assert.True(u.Contains(new Vector2(0.8f, 0.3f)));
        Assert.True(u.Contains(new Vector2(0.5f, 0.8f)));
        // The ray from a point level with the notch's floor passes along a horizontal edge: still judged right.
        Assert.True(u.Contains(new Vector2(0.2f, 0.6f)));
        Assert.False(u.Contains(new Vector2(0.95f, 0.6f)));
    }

    [Fact]
    public void A_segment_tells_the_sides_of_a_point_in_pixels()
    {
        // A above B: the normal points left, so left of the line is the positive side.
        var vertical = new Segment(new Vector2(0.5f, 0.25f), new Vector2(0.5f, 0.75f));
        Assert.Equal(new Vector2(-1, 0), vertical.Normal(640, 480));
        Assert.Equal(20f, vertical.SignedDistance(new Vector2(300, 240), 640, 480), 4);
        Assert.Equal(1, vertical.Side(new Vector2(300, 240), margin: 5, 640, 480));
        Assert.Equal(-1, vertical.Side(new Vector2(340, 240), margin: 5, 640, 480));
        Assert.Equal(0, vertical.Side(new Vector2(322, 240), margin: 5, 640, 480));   // 2 px off: on the line

        // A left of B: the normal points down.
        var horizontal = new Segment(new Vector2(0.2f, 0.5f), new Vector2(0.8f, 0.5f));
        Assert.Equal(1, horizontal.Side(new Vector2(320, 300), margin: 5, 640, 480));
        Assert.Equal(-1, horizontal.Side(new Vector2(320, 200), margin: 5, 640, 480));

        // The picture's diagonal on 640×480 is the line 3x = 4y in pixels; the bottom-left corner lies
        // 640·480 / 800 = 384 px from it, and the centre on it.
        var diagonal = new Segment(new Vector2(0, 0), new Vector2(1, 1));
        Assert.Equal(384f, diagonal.SignedDistance(new Vector2(0, 480), 640, 480), 2);
        Assert.Equal(0f, diagonal.SignedDistance(new Vector2(320, 240), 640, 480), 3);
    }

    [Fact]
    public void A_path_crosses_a_segment_only_between_its_ends()
    {
        var segment = new Segment(new Vector2(0.5f, 0.25f), new Vector2(0.5f, 0.75f));    // x 320, y 120..360
        Assert.True(segment.IsCrossedBy(new Vector2(300, 240), new Vector2(340, 240), 640, 480));
        Assert.True(segment.IsCrossedBy(new Vector2(340, 350), new Vector2(300, 130), 640, 480));   // slanted, the other way
        Assert.False(segment.IsCrossedBy(new Vector2(300, 100), new Vector2(340, 100), 640, 480));  // above A
        Assert.False(segment.IsCrossedBy(new Vector2(300, 380), new Vector2(340, 380), 640, 480));  // below B
        Assert.False(segment.IsCrossedBy(new Vector2(320, 100), new Vector2(320, 400), 640, 480));  // along the line
    }

    [Fact]
    public void Haversine_of_known_pairs()
    {
        // Along a meridian the haversine is exact arc length: 0.009° = π/20000 rad, times the mean radius
        // 6 371 008.8 m = 1000.7557 m. The same along the equator.
        Assert.Equal(1000.7557, new GeoPoint(31.230, 121.470).DistanceMetres(new GeoPoint(31.239, 121.470)), 3);
        Assert.Equal(1000.7557, new GeoPoint(0, 10.000).DistanceMetres(new GeoPoint(0, 10.009)), 3);
        // Diagonal near Shanghai, about 1 km: on the local plane north = R·0.006° = 667.170 m, east =
        // R·cos(31.233°)·0.007° = 665.554 m, so √(667.170² + 665.554²) = 942.379 m; at this size the sphere
        // and the plane agree to the millimetre.
        var a = new GeoPoint(31.230, 121.470);
        var b = new GeoPoint(31.236, 121.477);
        Assert.Equal(942.379, a.DistanceMetres(b), 2);
        Assert.Equal(a.DistanceMetres(b), b.DistanceMetres(a), 9);
        Assert.Equal(0, a.DistanceMetres(a));
        // One degree on this sphere, which ground projection's tangent plane uses.
        Assert.Equal(111_195.08, GeoPoint.MetresPerDegree, 2);
    }
}
