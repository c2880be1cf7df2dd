using Surveillance.Alerts.Dispatch;
using Surveillance.Tests.Fixtures;

namespace Surveillance.Tests.Dispatch;

/// <summary>1,200 generated grids: points inside, on shared edges and corners, and outside.</summary>
public sealed class GridIndexTests
{
    private const int Columns = 40, Rows = 30;

    private static readonly string BowTie = GridFile.Polygon("bow-tie",
        [(113.9, 22.4), (113.91, 22.41), (113.91, 22.4), (113.9, 22.41), (113.9, 22.4)]);

    private static readonly string Nameless = GridFile.Polygon(null, [(113.8, 22.4), (113.81, 22.4), (113.81, 22.41), (113.8, 22.4)]);

    private static readonly GridIndex Index = GridIndex.Load(GridFile.Generate(Columns, Rows, BowTie, Nameless), "gridId");

    [Fact]
    public void Every_valid_grid_is_loaded_and_invalid_features_are_reported_by_index_and_skipped()
    {
        Assert.Equal(Columns * Rows, Index.Count);
        Assert.Equal(2, Index.Problems.Count);
        Assert.StartsWith($"feature {Columns * Rows}: grid 'bow-tie' is not a valid polygon", Index.Problems[0], StringComparison.Ordinal);
        Assert.Equal($"feature {Columns * Rows + 1}: has no 'gridId' property", Index.Problems[1]);
        Assert.Null(Index.Locate(22.405, 113.905)); // inside the skipped bow-tie's bounds
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(7, 13)]
    [InlineData(29, 39)]
    [InlineData(15, 20)]
    public void A_point_inside_a_grid_gets_that_grid(int row, int col)
    {
        var (lat, lon) = GridFile.Centre(row, col);
        Assert.Equal($"G-{row}-{col}", Index.Locate(lat, lon));
        // Just inside each corner too.
        var d = GridFile.CellDegrees * 0.01;
        Assert.Equal($"G-{row}-{col}", Index.Locate(GridFile.Lat0 + row * GridFile.CellDegrees + d, GridFile.Lon0 + col * GridFile.CellDegrees + d));
        Assert.Equal($"G-{row}-{col}", Index.Locate(GridFile.Lat0 + (row + 1) * GridFile.CellDegrees - d, GridFile.Lon0 + (col + 1) * GridFile.CellDegrees - d));
    }

    [Fact]
    public void A_point_on_a_border_belongs_to_the_grid_listed_first_and_outer_borders_count_as_inside()
    {
        // The edge between G-3-4 and G-3-5 (same row: G-3-4 comes first in the file).
        var (lat, _) = GridFile.Centre(3, 4);
        var edgeLon = GridFile.Lon0 + 5 * GridFile.CellDegrees;
        Assert.Equal("G-3-4", Index.Locate(lat, edgeLon));
        // The edge between G-3-4 and G-4-4 (row 3 comes first).
        var (_, lon) = GridFile.Centre(3, 4);
        Assert.Equal("G-3-4", Index.Locate(GridFile.Lat0 + 4 * GridFile.CellDegrees, lon));
        // A corner shared by four grids: the first of them.
        Assert.Equal("G-3-4", Index.Locate(GridFile.Lat0 + 4 * GridFile.CellDegrees, GridFile.Lon0 + 5 * GridFile.CellDegrees));
        // The district's outer border.
        Assert.Equal("G-0-0", Index.Locate(GridFile.Lat0, GridFile.Lon0));
    }

    [Theory]
    [InlineData(22.4999, 114.01)]
    [InlineData(22.53, 113.9999)]
    [InlineData(22.5601, 114.03)]
    [InlineData(22.53, 114.0801)]
    [InlineData(-33.86, 151.21)]
    public void A_point_outside_every_grid_gets_none(double lat, double lon)
    {
        Assert.Null(Index.Locate(lat, lon));
    }

    [Fact]
    public void A_file_that_is_not_GeoJSON_is_refused_with_the_reason()
    {
        Assert.Throws<InvalidDataException>(() => GridIndex.Load("{ this is not json", "gridId"));
    }
}
