namespace Surveillance.Host.Api;

/// <summary>What a route needs of its caller; <see cref="ApiAccess"/> checks it before the handler runs.</summary>
public enum RequiredAccess
{
    /// <summary>A read: open to anonymous callers while <c>Api:AnonymousReads</c> is true, to any token otherwise.</summary>
    Read,

    /// <summary>A review action or a mute: any token (a grid token for its own grid, which the handler checks).</summary>
    Review,

    /// <summary>Adding, changing, enabling, disabling or deleting a camera: an admin token.</summary>
    ChangeCameras,
}
