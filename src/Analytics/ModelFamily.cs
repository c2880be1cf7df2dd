namespace Surveillance.Analytics;

/// <summary>The detector architectures the engine knows how to feed and decode.</summary>
public enum ModelFamily
{
    /// <summary>YOLOv5: NHWC input with letterbox, one output [1, N, 85] of cx, cy, w, h, objectness, 80 classes.</summary>
    YoloV5,

    /// <summary>NanoDet (GFL head): NCHW input with plain resize, class scores and box distributions per stride.</summary>
    NanoDet,
}
