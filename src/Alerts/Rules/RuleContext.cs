using Surveillance.Alerts.Events;

namespace Surveillance.Alerts.Rules;

/// <summary>What every rule of a camera shares: its zones, its event book and how long a condition may lapse.</summary>
internal sealed class RuleContext(IReadOnlyList<string> zoneNames, EventBook book, TimeSpan clearAfter)
{
    private readonly Dictionary<ulong, IReadOnlyList<string>> _namesByMask = [];

    public EventBook Book => book;

    public TimeSpan ClearAfter => clearAfter;

    /// <summary>The names of the zones in a membership mask; the same list instance each time, so reading it allocates nothing.</summary>
    public IReadOnlyList<string> ZoneNames(ulong mask)
    {
        if (_namesByMask.TryGetValue(mask, out var names))
            return names;
        var list = new List<string>();
        for (var i = 0; i < zoneNames.Count; i++)
        {
            if ((mask & (1UL << i)) != 0)
                list.Add(zoneNames[i]);
        }
        names = list.AsReadOnly();
        _namesByMask[mask] = names;
        return names;
    }
}
