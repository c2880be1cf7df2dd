namespace Surveillance.Host.Api;

/// <summary>What a bearer token allows. Reads are open to all; a role decides about writes.</summary>
public enum ApiRole
{
    /// <summary>May change the node's cameras.</summary>
    Admin,
}

public static class ApiRoles
{
    /// <summary>The role named in configuration (<c>admin</c>), in any case; null for an unknown name.</summary>
    public static ApiRole? Parse(string? name) =>
        Enum.GetValues<ApiRole>().Cast<ApiRole?>().FirstOrDefault(r => string.Equals(r.ToString(), name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The names configuration accepts, as they are written there.</summary>
    public static string Names => string.Join(", ", Enum.GetNames<ApiRole>().Select(n => n.ToLowerInvariant()));

    /// <summary>Whether a caller with <paramref name="role"/> may add, change or delete cameras.</summary>
    // Every role to come (a read-only one, an operator that may only enable and disable) is answered here.
    public static bool MayWrite(this ApiRole role) => role switch
    {
        ApiRole.Admin => true,
        _ => false,
    };
}
