namespace Surveillance.Ownership.Run;

/// <summary>
/// A camera active on two live nodes at once: <see cref="Holder"/> had it when <see cref="Newcomer"/> started it, from
/// <see cref="Since"/> until one of them stopped it or ended (<see cref="Until"/>, null while it lasts).
/// </summary>
public sealed class Duplicate(string camera, string holder, string newcomer, long since)
{
    public string Camera { get; } = camera;
    public string Holder { get; } = holder;
    public string Newcomer { get; } = newcomer;
    public long Since { get; } = since;
    public long? Until { get; set; }
}
