using Surveillance.Alerts.Events;
using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Rules;

/// <summary>
/// The rule engine of one camera: judges each frame's tracked objects against the camera's zones and
/// rules, and keeps the events they raise in an <see cref="EventBook"/>. Not thread-safe: it is fed one
/// camera's frames in order. Evaluating a frame allocates nothing unless an event starts, changes or ends.
/// </summary>
public sealed class CameraRules
{
    private readonly NormalizedPolygon[] _zones;
    private readonly Rule[] _rules;
    private readonly RuleContext _context;
    private ulong[] _zoneMasks = new ulong[32];

    /// <param name="options">Validated settings (see <see cref="CameraRuleOptions.Validate"/>).</param>
    public CameraRules(string cameraId, CameraRuleOptions options, AlertOptions alerts)
    {
        _zones = [.. options.Zones.Select(z => NormalizedPolygon.Parse(z.Points))];
        var zoneNames = options.Zones.Select(z => z.Name).ToList();
        Book = new EventBook(cameraId, TimeSpan.FromSeconds(alerts.UpdateIntervalSeconds));
        _context = new RuleContext(zoneNames, Book, TimeSpan.FromSeconds(alerts.ClearSeconds));
        var timeZone = alerts.ResolveTimeZone();
        _rules = [.. options.EffectiveRules.Select(r => Create(r, zoneNames, timeZone))];
    }

    /// <summary>Messages and snapshot requests produced so far; the caller takes them and clears the lists.</summary>
    public EventBook Book { get; }

    public int RuleCount => _rules.Length;

    /// <summary>Judges one frame's reported objects (confirmed tracks whose score passed the label's minimum).</summary>
    public void Evaluate(in SceneFrame frame, ReadOnlySpan<SceneObject> objects)
    {
        if (_zoneMasks.Length < objects.Length)
            _zoneMasks = new ulong[Math.Max(objects.Length, _zoneMasks.Length * 2)];
        var masks = _zoneMasks.AsSpan(0, objects.Length);
        for (var i = 0; i < objects.Length; i++)
        {
            var foot = objects[i].Box.NormalizedFootPoint(frame.Width, frame.Height);
            ulong mask = 0;
            for (var z = 0; z < _zones.Length; z++)
            {
                if (_zones[z].Contains(foot))
                    mask |= 1UL << z;
            }
            masks[i] = mask;
        }

        foreach (var rule in _rules)
            rule.Evaluate(frame, objects, masks, _context);
        Book.PublishDueUpdates(frame.Time);
    }

    /// <summary>Ends every open event with <paramref name="reason"/> and starts afresh.</summary>
    public void EndAll(EventEndReason reason, DateTime at)
    {
        foreach (var rule in _rules)
            rule.EndAll(reason, at, _context);
    }

    private static Rule Create(RuleOptions options, List<string> zoneNames, TimeZoneInfo timeZone)
    {
        var type = Parse<RuleType>(WireNames.TryParse, options.Type, nameof(options.Type));
        var labels = options.Labels.Count > 0 ? options.Labels : type.DefaultLabels();
        var definition = new RuleDefinition
        {
            Identity = new RuleIdentity(options.Name, type, Parse<Severity>(WireNames.TryParse, options.Severity, nameof(options.Severity))),
            ZoneIndex = options.Zone is null ? -1 : zoneNames.IndexOf(options.Zone),
            Labels = new HashSet<string>(labels.Select(l => l.Trim()), StringComparer.OrdinalIgnoreCase),
            Duration = TimeSpan.FromSeconds(options.Seconds ?? 0),
            MinCount = options.MinCount ?? 0,
            Line = options.Line is null ? null : CrossingLine.Parse(options.Line),
            Direction = options.Direction is null ? LineDirection.Any : Parse<LineDirection>(WireNames.TryParse, options.Direction, nameof(options.Direction)),
            Window = DailyWindow.TryParseTime(options.ActiveFrom, out var from) && DailyWindow.TryParseTime(options.ActiveTo, out var to)
                ? new DailyWindow(from, to, timeZone)
                : null,
        };
        return type switch
        {
            RuleType.Any or RuleType.Intrusion => new PresenceRule(definition),
            RuleType.Loitering => new LoiteringRule(definition),
            RuleType.Stopped => new StoppedRule(definition),
            RuleType.Crowd => new CrowdRule(definition, options.Zone!),
            RuleType.Line => new LineCrossingRule(definition),
            _ => throw new ArgumentException($"Unknown rule type '{options.Type}'.", nameof(options)),
        };
    }

    private delegate bool TryParser<T>(string? text, out T value);

    /// <summary>Options are validated before rules are built, so a name that does not parse here is a programming error.</summary>
    private static T Parse<T>(TryParser<T> tryParse, string text, string setting) =>
        tryParse(text, out var value) ? value : throw new ArgumentException($"'{text}' is not a valid {setting}; validate the options first.", nameof(setting));
}
