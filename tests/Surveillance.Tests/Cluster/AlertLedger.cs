using System.Text.Json;

namespace Surveillance.Tests.Cluster;

/// <summary>The alerts a dispatch console received, checked as it would check them: per camera, in order.</summary>
public sealed class AlertLedger
{
    private AlertLedger(List<JsonElement> alerts) => Alerts = alerts;

    public IReadOnlyList<JsonElement> Alerts { get; }

    public static AlertLedger Of(IEnumerable<(string Topic, byte[] Payload)> messages) =>
        new([.. messages.Where(m => m.Topic.Contains("/alerts/", StringComparison.Ordinal)).Select(m => JsonDocument.Parse(m.Payload).RootElement.Clone())]);

    /// <summary>
    /// The problems a consumer would see: a <c>seq</c> that does not grow by exactly one (a retry, the same <c>id</c>
    /// again, is fine), a number repeated under another <c>id</c>, an event with no <c>end</c> or with two.
    /// </summary>
    public List<string> Problems()
    {
        var problems = new List<string>();
        foreach (var camera in Alerts.GroupBy(a => a.GetProperty("cameraId").GetString()!))
        {
            var seen = new Dictionary<long, string>();
            long? last = null;
            foreach (var alert in camera)
            {
                var seq = alert.GetProperty("seq").GetInt64();
                var id = alert.GetProperty("id").GetString()!;
                if (seen.TryGetValue(seq, out var earlier))
                {
                    if (earlier != id)
                        problems.Add($"{camera.Key}: seq {seq} came as {earlier} and again as {id}");
                    continue;
                }
                seen[seq] = id;
                if (last is { } previous && seq != previous + 1)
                    problems.Add($"{camera.Key}: seq {seq} after {previous}");
                last = seq;
            }
        }
        var events = Alerts.GroupBy(a => a.GetProperty("eventId").GetString()!);
        foreach (var e in events)
        {
            var news = e.Where(a => a.GetProperty("type").GetString() == "new").Select(a => a.GetProperty("id").GetString()).Distinct().Count();
            var ends = e.Where(a => a.GetProperty("type").GetString() == "end").Select(a => a.GetProperty("id").GetString()).Distinct().Count();
            // The console subscribes before the first node starts, so an event seen at all was seen from its new.
            if (news != 1 || ends != 1)
                problems.Add($"event {e.Key} of {e.First().GetProperty("cameraId").GetString()}: {news} new, {ends} ends");
        }
        return problems;
    }

    /// <summary>Alerts that came again with an id already seen: delivery is at least once.</summary>
    public int Redelivered => Alerts.Count - Alerts.Select(a => a.GetProperty("id").GetString()).Distinct().Count();

    public int Count(string type) => Alerts.Count(a => a.GetProperty("type").GetString() == type);

    public int EndedWith(string reason) => Alerts.Count(a => a.TryGetProperty("endReason", out var r) && r.GetString() == reason);
}
