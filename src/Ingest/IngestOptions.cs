namespace Surveillance.Ingest;

/// <summary>Settings shared by every camera's decoder, under <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    /// <summary>The ffmpeg binary: a name looked up on PATH, or a full path.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    /// <summary>
    /// Network I/O timeout handed to ffmpeg. Without one, ffmpeg's RTSP client waits forever on a server
    /// that stops sending; the stall watchdog is the second line of defence.
    /// </summary>
    public double SocketTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Decoding on a GPU or media engine instead of the CPU. When the device is missing ffmpeg exits at start and
    /// the camera's decoder-exit log line carries ffmpeg's reason; there is no silent fall-back to the CPU, whose
    /// capacity was not planned for the load.
    /// </summary>
    public HardwareDecoding HardwareDecoding { get; set; } = HardwareDecoding.None;

    /// <summary>
    /// Decoders starting at once (<see cref="DecoderStartGate"/>); 0: <see cref="HardwareStartsAtOnce"/> with hardware
    /// decoding, no limit with software decoding, whose starts cost little.
    /// </summary>
    public int MaxConcurrentStarts { get; set; }

    public const int HardwareStartsAtOnce = 8;

    public int EffectiveMaxConcurrentStarts =>
        MaxConcurrentStarts > 0 ? MaxConcurrentStarts : HardwareDecoding == HardwareDecoding.None ? 0 : HardwareStartsAtOnce;

    /// <summary>Watching and restarting fixed cameras.</summary>
    public StreamTimingOptions Fixed { get; set; } = StreamTimingOptions.FixedDefaults();

    /// <summary>Watching and restarting patrol-vehicle cameras (4G).</summary>
    public StreamTimingOptions Patrol { get; set; } = StreamTimingOptions.PatrolDefaults();

    public StreamTimingOptions TimingFor(CameraKind kind) => kind == CameraKind.Patrol ? Patrol : Fixed;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(FfmpegPath))
            yield return "Ingest:FfmpegPath: is required";
        if (double.IsNaN(SocketTimeoutSeconds) || SocketTimeoutSeconds < 1 || SocketTimeoutSeconds > 300)
            yield return $"Ingest:SocketTimeoutSeconds: must be between 1 and 300 (was {SocketTimeoutSeconds})";
        if (MaxConcurrentStarts < 0 || MaxConcurrentStarts > 10_000)
            yield return $"Ingest:MaxConcurrentStarts: must be between 0 (automatic) and 10000 (was {MaxConcurrentStarts})";
        if (!Enum.IsDefined(HardwareDecoding))
            yield return $"Ingest:HardwareDecoding: must be None, Cuda, Vaapi or Qsv (was {(int)HardwareDecoding})";
        foreach (var error in Fixed.Validate("Ingest:Fixed").Concat(Patrol.Validate("Ingest:Patrol")))
            yield return error;
    }
}
