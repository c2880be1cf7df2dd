namespace Surveillance.Analytics;

/// <summary>The COCO classes a deployment cares about, as a lookup the decoders consult per candidate.</summary>
public sealed class ClassFilter
{
    private readonly bool[] _wanted = new bool[CocoClasses.Count];

    public ClassFilter(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (!CocoClasses.TryGetId(name, out var id))
                throw new ArgumentException($"'{name}' is not a COCO class name.", nameof(names));
            _wanted[id] = true;
        }
    }

    public static ClassFilter All { get; } = new(CocoClasses.All);

    public bool Contains(int classId) => (uint)classId < (uint)_wanted.Length && _wanted[classId];
}
