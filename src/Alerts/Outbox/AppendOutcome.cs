namespace Surveillance.Alerts.Outbox;

/// <summary>What <see cref="SqliteOutbox.Append"/> did.</summary>
/// <param name="Seq">The sequence number the message was given; it is used up even when the message is refused.</param>
/// <param name="Bytes">What the message counts against <c>Outbox:MaxBytes</c>.</param>
/// <param name="Refused">
/// The message alone was larger than <c>Outbox:MaxBytes</c> and was not stored: keeping it would have meant
/// evicting everything older. Its number is used up, so a consumer that checks the sequence sees the gap.
/// </param>
/// <param name="EvictedForCount">Oldest messages evicted to stay within <c>Outbox:MaxMessages</c>.</param>
/// <param name="EvictedForBytes">Oldest messages evicted to stay within <c>Outbox:MaxBytes</c>.</param>
public readonly record struct AppendOutcome(long Seq, long Bytes, bool Refused, int EvictedForCount, int EvictedForBytes);
