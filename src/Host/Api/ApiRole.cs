using Surveillance.Ingest;

namespace Surveillance.Host.Api;

/// <summary>What a bearer token allows (<c>Api:Tokens:N:Role</c>).</summary>
public enum ApiRole
{
    /// <summary>Everything: reads, review actions and mutes, and changes to the node's cameras.</summary>
    Admin,

    /// <summary>The command centre: reads every grid, works every review item; may not change cameras.</summary>
    Command,

    /// <summary>A grid's leader or police (<c>grid:&lt;gridId&gt;</c>): reads and works that grid only; may not change cameras.</summary>
    Grid,
}

public static class ApiRoles
{
    private const string GridPrefix = "grid:";

    /// <summary>The roles configuration accepts, as they are written there.</summary>
    public const string Names = "admin, command, grid:<gridId>";

    /// <summary>
    /// The role named in configuration (<c>admin</c>, <c>command</c> in any case, or <c>grid:&lt;gridId&gt;</c>);
    /// null with <paramref name="problem"/> saying why for anything else.
    /// </summary>
    public static ApiGrant? Parse(string? name, out string? problem)
    {
        problem = null;
        if (string.Equals(name, "admin", StringComparison.OrdinalIgnoreCase))
            return new ApiGrant(ApiRole.Admin, null);
        if (string.Equals(name, "command", StringComparison.OrdinalIgnoreCase))
            return new ApiGrant(ApiRole.Command, null);
        if (name is not null && name.StartsWith(GridPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // The grid id is kept as written: grid ids are compared exactly everywhere (topics, the grid file).
            var gridId = name[GridPrefix.Length..];
            if (TopicSegment.IsValid(gridId))
                return new ApiGrant(ApiRole.Grid, gridId);
            problem = $"'{name}' does not name a grid: write grid:<gridId>, e.g. grid:grid-001 (a grid id {TopicSegment.Rule})";
            return null;
        }
        problem = $"'{name}' is not a role ({Names})";
        return null;
    }
}
