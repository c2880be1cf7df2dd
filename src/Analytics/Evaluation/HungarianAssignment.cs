namespace Surveillance.Analytics.Evaluation;

/// <summary>
/// The assignment of rows to columns of least total cost (Kuhn-Munkres with potentials, O(n²m) for n ≤ m rows);
/// a rectangular matrix leaves the surplus rows or columns unassigned.
/// </summary>
public static class HungarianAssignment
{
    /// <returns>For each row, its column, or -1.</returns>
    public static int[] Solve(double[,] cost)
    {
        var rows = cost.GetLength(0);
        var columns = cost.GetLength(1);
        if (rows == 0 || columns == 0)
            return Enumerable.Repeat(-1, rows).ToArray();
        if (rows > columns)
        {
            var transposed = new double[columns, rows];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                    transposed[c, r] = cost[r, c];
            var byColumn = Solve(transposed);
            var byRow = Enumerable.Repeat(-1, rows).ToArray();
            for (var c = 0; c < columns; c++)
                if (byColumn[c] >= 0)
                    byRow[byColumn[c]] = c;
            return byRow;
        }

        // 1-based, column 0 a sentinel: u and v are the row and column potentials, match[c] the row matched to column c.
        var u = new double[rows + 1];
        var v = new double[columns + 1];
        var match = new int[columns + 1];
        var way = new int[columns + 1];
        var minimum = new double[columns + 1];
        var used = new bool[columns + 1];
        for (var row = 1; row <= rows; row++)
        {
            match[0] = row;
            var column = 0;
            Array.Fill(minimum, double.PositiveInfinity);
            Array.Fill(used, false);
            do
            {
                used[column] = true;
                var r = match[column];
                var delta = double.PositiveInfinity;
                var next = 0;
                for (var c = 1; c <= columns; c++)
                {
                    if (used[c])
                        continue;
                    var reduced = cost[r - 1, c - 1] - u[r] - v[c];
                    if (reduced < minimum[c])
                    {
                        minimum[c] = reduced;
                        way[c] = column;
                    }
                    if (minimum[c] < delta)
                    {
                        delta = minimum[c];
                        next = c;
                    }
                }
                for (var c = 0; c <= columns; c++)
                {
                    if (used[c])
                    {
                        u[match[c]] += delta;
                        v[c] -= delta;
                    }
                    else
                    {
                        minimum[c] -= delta;
                    }
                }
                column = next;
            }
            while (match[column] != 0);
            do
            {
                var previous = way[column];
                match[column] = match[previous];
                column = previous;
            }
            while (column != 0);
        }

        var assignment = Enumerable.Repeat(-1, rows).ToArray();
        for (var c = 1; c <= columns; c++)
            if (match[c] != 0)
                assignment[match[c] - 1] = c - 1;
        return assignment;
    }
}
