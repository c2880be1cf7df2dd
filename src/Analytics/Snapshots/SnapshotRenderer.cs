using OpenCvSharp;

namespace Surveillance.Analytics.Snapshots;

/// <summary>Turns a copied frame into the JPEG an operator sees: the object's box and label drawn on the picture.</summary>
public static unsafe class SnapshotRenderer
{
    public const int JpegQuality = 85;

    private static readonly Scalar BoxColour = new(0, 0, 255);
    private static readonly Scalar TextColour = new(255, 255, 255);

    /// <summary>Draws the boxes on a copy of the frame (the frame itself may be shared by several events' snapshots) and encodes it.</summary>
    public static byte[] Render(ReadOnlySpan<byte> bgr, int width, int height, ReadOnlySpan<SnapshotBox> boxes)
    {
        FrameSize.Check(bgr, width, height);
        fixed (byte* pixels = bgr)
        {
            using var frame = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)pixels);
            using var image = frame.Clone();
            var thickness = Math.Max(2, width / 320);
            var fontScale = Math.Max(0.5, width / 1280.0);
            foreach (var box in boxes)
            {
                var topLeft = new Point((int)box.Box.X1, (int)box.Box.Y1);
                Cv2.Rectangle(image, topLeft, new Point((int)MathF.Ceiling(box.Box.X2), (int)MathF.Ceiling(box.Box.Y2)), BoxColour, thickness);
                var textSize = Cv2.GetTextSize(box.Caption, HersheyFonts.HersheySimplex, fontScale, 1, out var baseline);
                // Above the box when there is room, inside its top edge otherwise.
                var textTop = topLeft.Y - textSize.Height - baseline - 2 >= 0 ? topLeft.Y - textSize.Height - baseline - 2 : topLeft.Y;
                Cv2.Rectangle(image, new Rect(topLeft.X, textTop, textSize.Width + 4, textSize.Height + baseline + 2), BoxColour, -1);
                Cv2.PutText(image, box.Caption, new Point(topLeft.X + 2, textTop + textSize.Height + 1), HersheyFonts.HersheySimplex,
                    fontScale, TextColour, 1, LineTypes.AntiAlias);
            }
            Cv2.ImEncode(".jpg", image, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, JpegQuality));
            return jpeg;
        }
    }
}
