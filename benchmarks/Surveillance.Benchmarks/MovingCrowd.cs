using Surveillance.Analytics;

namespace Surveillance.Benchmarks;

/// <summary>
/// Fifty people in a 640×480 picture, each walking back and forth along its own line at its own pace, as
/// detections frame by frame at 5 fps. The motion is periodic over <see cref="Frames"/> frames, so the
/// benchmarks can cycle through it for ever without a jump that would end every track.
/// </summary>
public sealed class MovingCrowd
{
    public const int Objects = 50;
    public const int Frames = 200;
    public const int Width = 640;
    public const int Height = 480;
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(200);

    public MovingCrowd()
    {
        var random = new Random(42);
        var lanes = Enumerable.Range(0, Objects).Select(_ => (
            X: 40 + random.NextSingle() * 560, Y: 80 + random.NextSingle() * 360,
            Reach: 20 + random.NextSingle() * 120, Angle: random.NextSingle() * MathF.PI, Height: 50 + random.NextSingle() * 40,
            Phase: random.NextSingle() * MathF.Tau)).ToArray();
        Detections = new Detection[Frames][];
        for (var f = 0; f < Frames; f++)
        {
            var t = MathF.Tau * f / Frames;
            Detections[f] = [.. lanes.Select(l =>
            {
                var offset = l.Reach * MathF.Sin(t + l.Phase);
                var cx = l.X + offset * MathF.Cos(l.Angle);
                var foot = l.Y + offset * MathF.Sin(l.Angle) * 0.3f;
                var width = l.Height * 0.4f;
                return new Detection(0, 0.85f, cx - width / 2, foot - l.Height, cx + width / 2, foot);
            })];
        }
    }

    public Detection[][] Detections { get; }
}
