using System.Globalization;
using Surveillance.Alerts.Reviews;

namespace Surveillance.Host.Api;

/// <summary>The query of <c>GET /api/events</c> and <c>GET /api/reviews</c>, checked, and narrowed to what the caller may see.</summary>
public static class ListFilter
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    private static readonly string[] Severities = ["info", "low", "medium", "high", "critical"];

    /// <returns>The query, or null with <paramref name="error"/> for a bad parameter, or null without one when the caller may see nothing it asks for.</returns>
    public static EventQuery? Of(Caller caller, string? grid, string? camera, string? severity, string? rule, string? state, string? since, int? limit,
        out string? error)
    {
        error = null;
        if (severity is not null && !Severities.Contains(severity))
            error = $"severity: '{severity}' is not a severity ({string.Join(", ", Severities)})";
        else if (state is not null && !ReviewState.All.Contains(state))
            error = $"state: '{state}' is not a review state ({string.Join(", ", ReviewState.All)})";
        else if (limit is < 1 or > MaxLimit)
            error = $"limit: must be between 1 and {MaxLimit} (was {limit})";
        DateTime? from = null;
        if (error is null && since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
                from = instant.UtcDateTime;
            else
                error = $"since: '{since}' is not an ISO-8601 instant (e.g. 2026-01-02T03:04:05Z)";
        }
        if (error is not null)
            return null;
        // A grid token asks for its grid whatever it names; another grid, it may not see.
        if (caller.Grant is { Role: ApiRole.Grid, GridId: var own })
        {
            if (grid is not null && !string.Equals(grid, own, StringComparison.Ordinal))
                return null;
            grid = own;
        }
        return new EventQuery(grid, camera, severity, rule, state, from, limit ?? DefaultLimit);
    }
}
