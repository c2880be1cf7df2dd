using System.Globalization;

namespace Surveillance.Ownership;

/// <summary>The cameras of a run, <c>cam-01</c> … , the same on every node and in the orchestrator.</summary>
public static class CameraIds
{
    public static string Of(int index) => string.Create(CultureInfo.InvariantCulture, $"cam-{index + 1:00}");

    public static IReadOnlyList<string> All(int count) => [.. Enumerable.Range(0, count).Select(Of)];

    /// <summary>The index <see cref="Of"/> gave <paramref name="id"/>, or null for another id.</summary>
    public static int? IndexOf(string id) =>
        id.StartsWith("cam-", StringComparison.Ordinal) && int.TryParse(id.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n - 1
            : null;
}
