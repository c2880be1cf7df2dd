namespace Surveillance.Cameras.Analysis;

/// <summary>The motion gate's last <see cref="Length"/> decisions of one camera, for the skipped-ratio metric.</summary>
public sealed class SkipWindow
{
    public const int Length = 300;

    private readonly bool[] _skipped = new bool[Length];
    private int _next;
    private int _count;
    private int _skippedCount;

    public double Ratio => _count == 0 ? 0 : (double)_skippedCount / _count;

    public void Record(bool skipped)
    {
        if (_count == Length && _skipped[_next])
            _skippedCount--;
        _skipped[_next] = skipped;
        if (skipped)
            _skippedCount++;
        _next = (_next + 1) % Length;
        _count = Math.Min(_count + 1, Length);
    }
}
