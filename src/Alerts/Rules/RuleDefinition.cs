using Surveillance.Alerts.Events;

namespace Surveillance.Alerts.Rules;

/// <summary>A rule's settings, checked and resolved (zone name to index, time window to a zone-aware window).</summary>
internal sealed class RuleDefinition
{
    public required RuleIdentity Identity { get; init; }

    /// <summary>Index of the watched zone in the camera's zone list; -1 for none.</summary>
    public required int ZoneIndex { get; init; }

    public required HashSet<string> Labels { get; init; }

    public TimeSpan Duration { get; init; }

    public int MinCount { get; init; }

    public CrossingLine? Line { get; init; }

    public LineDirection Direction { get; init; } = LineDirection.Any;

    public DailyWindow? Window { get; init; }

    public bool InZone(ulong zoneMask) => ZoneIndex < 0 || (zoneMask & (1UL << ZoneIndex)) != 0;
}
