namespace Surveillance.Host.Api;

/// <summary>One bearer token of the control API, under <c>Api:Tokens:N</c>.</summary>
public sealed class ApiToken
{
    /// <summary>For the logs and the review history: who was refused, let in, or worked an item. Never the value.</summary>
    public string? Name { get; set; }

    /// <summary>The secret a caller sends as <c>Authorization: Bearer …</c>; at least <see cref="ApiOptions.MinimumTokenLength"/> characters.</summary>
    public string Value { get; set; } = "";

    /// <summary>What the token allows: <c>admin</c>, <c>command</c> or <c>grid:&lt;gridId&gt;</c> (see <see cref="ApiRole"/>).</summary>
    public string Role { get; set; } = "";

    /// <summary>How the logs name this token: its <see cref="Name"/>, or its place in the list.</summary>
    public string LogName(int index) => string.IsNullOrWhiteSpace(Name) ? $"Api:Tokens:{index}" : Name;
}
