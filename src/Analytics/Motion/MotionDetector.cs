using OpenCvSharp;
using Surveillance.Analytics.Geometry;
using Surveillance.Analytics.Scene;

namespace Surveillance.Analytics.Motion;

/// <summary>
/// Cheap motion detection: the frame is shrunk to <see cref="AnalysisWidth"/> pixels wide, turned grey and
/// blurred (so sensor noise and compression artefacts do not count), and compared with the previous frame.
/// Masked areas (swaying trees, a road outside the area of interest) are ignored. All images and their
/// native handles are made once per camera, so a frame allocates nothing.
/// </summary>
public sealed unsafe class MotionDetector : IDisposable
{
    public const int AnalysisWidth = 320;

    /// <summary>Side of the squares (in pixels of the shrunk picture) into which changed pixels are gathered into motion boxes.</summary>
    private const int CellSide = 8;

    /// <summary>Changed pixels a cell needs to count as moving: one alone is noise the blur let through.</summary>
    private const int CellMinChanged = 3;

    /// <summary>Motion boxes kept per frame; a frame with more moving blobs than this is reported as moving everywhere.</summary>
    public const int MaxMotionBoxes = 32;

    private readonly int _threshold;
    private readonly SceneMask _mask;
    private ReusableMat? _small;
    private ReusableMat? _grey;
    private ReusableMat? _previous;
    private ReusableMat? _difference;
    private ReusableMat? _watched;
    private int _frameWidth;
    private int _frameHeight;
    private int _watchedPixels;
    private bool[] _cells = [];
    private int[] _cellStack = [];
    private readonly BoundingBox[] _motionBoxes = new BoundingBox[MaxMotionBoxes];
    private int _motionBoxCount;

    public MotionDetector(int pixelThreshold, SceneMask mask)
    {
        _threshold = pixelThreshold;
        _mask = mask;
    }

    /// <summary>Compares a frame with the one before it.</summary>
    /// <returns>The fraction of the watched picture that changed; 1 for the first frame, which has nothing to compare with.</returns>
    public double Measure(ReadOnlySpan<byte> bgr, int width, int height)
    {
        FrameSize.Check(bgr, width, height);
        var first = _grey is null || width != _frameWidth || height != _frameHeight;
        if (first)
            Allocate(width, height);

        fixed (byte* pixels = bgr)
        {
            using var frame = NativeFrame.Over(pixels, width, height);
            _small!.ResizeFrom(frame, InterpolationFlags.Area);
        }
        _small.ConvertColorInto(_grey!, ColorConversionCodes.BGR2GRAY);
        _grey!.GaussianBlurInto(_grey, 5);

        double changed;
        if (first)
        {
            changed = 1;
        }
        else
        {
            _grey.AbsDiffInto(_previous!, _difference!);
            _difference!.ThresholdInto(_difference, _threshold, 255, ThresholdTypes.Binary);
            if (_watched is not null)
                _difference.AndInto(_watched, _difference);
            changed = _watchedPixels == 0 ? 0 : _difference.CountNonZero() / (double)_watchedPixels;
        }
        _motionBoxCount = first ? 0 : FindMotionBoxes();
        (_previous, _grey) = (_grey, _previous);
        return changed;
    }

    /// <summary>
    /// The boxes around what changed on the last frame measured, in frame pixels: changed pixels gathered into cells of
    /// <see cref="CellSide"/> pixels of the shrunk picture, and touching cells into one box. Empty after the first frame
    /// (nothing to compare with); one box over the whole frame when more blobs moved than <see cref="MaxMotionBoxes"/>.
    /// </summary>
    public ReadOnlySpan<BoundingBox> MotionBoxes => _motionBoxes.AsSpan(0, _motionBoxCount);

    private int FindMotionBoxes()
    {
        var difference = _difference!.Mat;
        var (width, height) = (difference.Width, difference.Height);
        var (columns, rows) = ((width + CellSide - 1) / CellSide, (height + CellSide - 1) / CellSide);
        var pixels = (byte*)difference.DataPointer;
        var step = (int)difference.Step();
        Array.Clear(_cells, 0, columns * rows);
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var changed = 0;
                var yEnd = Math.Min(height, (row + 1) * CellSide);
                var xEnd = Math.Min(width, (column + 1) * CellSide);
                for (var y = row * CellSide; y < yEnd && changed < CellMinChanged; y++)
                {
                    var line = pixels + y * step;
                    for (var x = column * CellSide; x < xEnd; x++)
                        changed += line[x] >> 7;
                }
                _cells[row * columns + column] = changed >= CellMinChanged;
            }
        }

        var scaleX = (float)_frameWidth / width;
        var scaleY = (float)_frameHeight / height;
        var count = 0;
        for (var start = 0; start < columns * rows; start++)
        {
            if (!_cells[start])
                continue;
            if (count == MaxMotionBoxes)
            {
                _motionBoxes[0] = new BoundingBox(0, 0, _frameWidth, _frameHeight);
                return 1;
            }
            // Flood fill over the 8 neighbours, clearing cells as they are taken.
            var (minColumn, maxColumn, minRow, maxRow) = (start % columns, start % columns, start / columns, start / columns);
            var top = 0;
            _cellStack[top++] = start;
            _cells[start] = false;
            while (top > 0)
            {
                var cell = _cellStack[--top];
                var (column, row) = (cell % columns, cell / columns);
                minColumn = Math.Min(minColumn, column);
                maxColumn = Math.Max(maxColumn, column);
                minRow = Math.Min(minRow, row);
                maxRow = Math.Max(maxRow, row);
                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var (c, r) = (column + dx, row + dy);
                        if (c < 0 || r < 0 || c >= columns || r >= rows || !_cells[r * columns + c])
                            continue;
                        _cells[r * columns + c] = false;
                        _cellStack[top++] = r * columns + c;
                    }
                }
            }
            _motionBoxes[count++] = new BoundingBox(
                minColumn * CellSide * scaleX, minRow * CellSide * scaleY,
                Math.Min(width, (maxColumn + 1) * CellSide) * scaleX, Math.Min(height, (maxRow + 1) * CellSide) * scaleY);
        }
        return count;
    }

    /// <summary>Forgets the previous frame (the camera restarted; its next frame is not comparable).</summary>
    public void Reset()
    {
        _grey?.Dispose();
        _grey = null;
        _motionBoxCount = 0;
    }

    private void Allocate(int width, int height)
    {
        DisposeImages();
        _frameWidth = width;
        _frameHeight = height;
        var smallWidth = Math.Min(AnalysisWidth, width);
        var smallHeight = Math.Max(1, (int)Math.Round(height * (double)smallWidth / width));
        _small = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC3));
        _grey = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _previous = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _difference = new ReusableMat(new Mat(smallHeight, smallWidth, MatType.CV_8UC1));
        _watched = _mask.IsEmpty ? null : new ReusableMat(_mask.RenderWatched(smallWidth, smallHeight));
        _watchedPixels = _watched?.CountNonZero() ?? smallWidth * smallHeight;
        var cells = ((smallWidth + CellSide - 1) / CellSide) * ((smallHeight + CellSide - 1) / CellSide);
        _cells = new bool[cells];
        _cellStack = new int[cells];
    }

    private void DisposeImages()
    {
        _small?.Dispose();
        _grey?.Dispose();
        _previous?.Dispose();
        _difference?.Dispose();
        _watched?.Dispose();
    }

    public void Dispose() => DisposeImages();
}
