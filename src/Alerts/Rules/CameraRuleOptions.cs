using Surveillance.Analytics.Geometry;

namespace Surveillance.Alerts.Rules;

/// <summary>One camera's zones (<c>Cameras:N:Zones</c>) and rules (<c>Cameras:N:Rules</c>).</summary>
public sealed class CameraRuleOptions
{
    public const int MaxZones = 64;

    public List<ZoneOptions> Zones { get; set; } = [];

    /// <summary>The camera's rules; a camera with none gets one <c>any</c> rule (see <see cref="DefaultRule"/>).</summary>
    public List<RuleOptions> Rules { get; set; } = [];

    /// <summary>What a camera without rules reports: every object of interest, one event per object.</summary>
    public static RuleOptions DefaultRule => new() { Name = "any", Type = WireNames.Of(RuleType.Any), Severity = WireNames.Of(Severity.Info) };

    /// <summary>The rules in force: those configured, or the default one.</summary>
    public IReadOnlyList<RuleOptions> EffectiveRules => Rules.Count > 0 ? Rules : [DefaultRule];

    /// <param name="key">The camera's configuration key, e.g. <c>Cameras:0</c>.</param>
    /// <param name="frameWidth">The camera's detect width: whether a line can be crossed in a direction depends on the picture's shape.</param>
    /// <param name="frameHeight">The camera's detect height.</param>
    public IEnumerable<string> Validate(string key, int frameWidth, int frameHeight)
    {
        if (Zones.Count > MaxZones)
            yield return $"{key}:Zones: at most {MaxZones} zones per camera (has {Zones.Count})";
        var zoneNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Zones.Count; i++)
        {
            var zoneKey = $"{key}:Zones:{i}";
            var zone = Zones[i];
            if (string.IsNullOrWhiteSpace(zone.Name))
                yield return $"{zoneKey}:Name: is required";
            else if (!zoneNames.Add(zone.Name))
                yield return $"{zoneKey}:Name: '{zone.Name}' is used by another zone of this camera";
            if (!NormalizedPolygon.TryParse(zone.Points, out _, out var error))
                yield return $"{zoneKey}:Points: {error}";
        }

        var ruleNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            foreach (var error in ValidateRule(Rules[i], $"{key}:Rules:{i}", zoneNames, ruleNames, frameWidth, frameHeight))
                yield return error;
        }
    }

    private static IEnumerable<string> ValidateRule(RuleOptions rule, string key, HashSet<string> zoneNames, HashSet<string> ruleNames,
        int frameWidth, int frameHeight)
    {
        if (string.IsNullOrWhiteSpace(rule.Name))
            yield return $"{key}:Name: is required";
        else if (!ruleNames.Add(rule.Name))
            yield return $"{key}:Name: '{rule.Name}' is used by another rule of this camera";

        if (!WireNames.TryParse(rule.Type, out RuleType type))
        {
            yield return $"{key}:Type: '{rule.Type}' is not a rule type ({WireNames.List<RuleType>(WireNames.Of)})";
            yield break;
        }
        if (!WireNames.TryParse(rule.Severity, out Severity _))
            yield return $"{key}:Severity: '{rule.Severity}' is not a severity ({WireNames.List<Severity>(WireNames.Of)})";

        if (rule.Zone is { } zone && !zoneNames.Contains(zone))
            yield return $"{key}:Zone: there is no zone named '{zone}' on this camera" + (zoneNames.Count == 0 ? " (it has none)" : $" (zones: {string.Join(", ", zoneNames)})");
        else if (rule.Zone is null && type.NeedsZone())
            yield return $"{key}:Zone: is required for a {rule.Type} rule";
        if (rule.Zone is not null && type == RuleType.Line)
            yield return $"{key}:Zone: a line rule watches its line, not a zone";

        if (rule.Labels.Any(string.IsNullOrWhiteSpace))
            yield return $"{key}:Labels: must not contain empty names";

        if (type.NeedsSeconds())
        {
            if (rule.Seconds is not { } seconds)
                yield return $"{key}:Seconds: is required for a {rule.Type} rule";
            else if (double.IsNaN(seconds) || seconds <= 0 || seconds > 86_400)
                yield return $"{key}:Seconds: must be greater than 0 and at most 86400 (was {seconds})";
        }
        else if (rule.Seconds is not null)
        {
            yield return $"{key}:Seconds: only loitering, crowd and stopped rules take a duration";
        }

        if (type == RuleType.Crowd)
        {
            if (rule.MinCount is not { } count)
                yield return $"{key}:MinCount: is required for a crowd rule";
            else if (count is < 1 or > 10_000)
                yield return $"{key}:MinCount: must be between 1 and 10000 (was {count})";
        }
        else if (rule.MinCount is not null)
        {
            yield return $"{key}:MinCount: only crowd rules take a count";
        }

        if (type == RuleType.Line)
        {
            if (rule.Line is null)
            {
                yield return $"{key}:Line: is required for a line rule ({CrossingLine.Format})";
            }
            else if (!CrossingLine.TryParse(rule.Line, out var line, out var error))
            {
                yield return $"{key}:Line: {error}";
            }
            else if (rule.Direction is { } written)
            {
                if (!WireNames.TryParse(written, out LineDirection direction))
                    yield return $"{key}:Direction: '{written}' is not a direction ({WireNames.List<LineDirection>(WireNames.Of)})";
                else if (!line.Supports(direction, frameWidth, frameHeight))
                    yield return $"{key}:Direction: '{written}' runs along this line, so nothing crosses it that way; use {(direction is LineDirection.Up or LineDirection.Down ? "left or right" : "up or down")}";
            }
        }
        else
        {
            if (rule.Line is not null)
                yield return $"{key}:Line: only line rules take a line";
            if (rule.Direction is not null)
                yield return $"{key}:Direction: only line rules take a direction";
        }

        if (type == RuleType.Intrusion)
        {
            if ((rule.ActiveFrom is null) != (rule.ActiveTo is null))
            {
                yield return $"{key}:{(rule.ActiveFrom is null ? "ActiveFrom" : "ActiveTo")}: a time window needs both ActiveFrom and ActiveTo";
            }
            else if (rule.ActiveFrom is not null)
            {
                var fromValid = DailyWindow.TryParseTime(rule.ActiveFrom, out var from);
                var toValid = DailyWindow.TryParseTime(rule.ActiveTo, out var to);
                if (!fromValid)
                    yield return $"{key}:ActiveFrom: '{rule.ActiveFrom}' is not a time of day (HH:mm, e.g. 22:00)";
                if (!toValid)
                    yield return $"{key}:ActiveTo: '{rule.ActiveTo}' is not a time of day (HH:mm, e.g. 06:00)";
                if (fromValid && toValid && from == to)
                    yield return $"{key}:ActiveTo: must differ from ActiveFrom (leave both out for all day)";
            }
        }
        else if (rule.ActiveFrom is not null || rule.ActiveTo is not null)
        {
            yield return $"{key}:{(rule.ActiveFrom is not null ? "ActiveFrom" : "ActiveTo")}: only intrusion rules take a time window";
        }
    }
}
