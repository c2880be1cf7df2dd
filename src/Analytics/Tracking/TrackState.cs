namespace Surveillance.Analytics.Tracking;

public enum TrackState
{
    /// <summary>Seen fewer than <see cref="TrackerOptions.ConfirmHits"/> times, or its median score is still below its label's minimum; not reported yet.</summary>
    Tentative,

    /// <summary>Seen often enough to be believed.</summary>
    Confirmed,
}
