namespace Surveillance.Host.Api;

/// <summary>A token's role, and for <see cref="ApiRole.Grid"/> the one grid it is limited to.</summary>
public sealed record ApiGrant(ApiRole Role, string? GridId);
