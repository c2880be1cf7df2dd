namespace Surveillance.Analytics;

/// <summary>Settings of the object detector, under <c>Detector</c>.</summary>
public sealed class DetectorOptions
{
    public static readonly string[] DefaultClasses = ["person", "bicycle", "car", "motorcycle", "bus", "truck"];

    /// <summary>Path of the ONNX model; its family (YOLOv5 or NanoDet) is recognised from the graph.</summary>
    public string Model { get; set; } = "models/yolov5s-640.onnx";

    /// <summary>Detections scoring below this are discarded.</summary>
    public float ScoreThreshold { get; set; } = 0.5f;

    /// <summary>Overlap above which the weaker of two boxes of the same class is suppressed.</summary>
    public float IouThreshold { get; set; } = 0.45f;

    /// <summary>ONNX Runtime intra-op threads per detector; 0 shares the cores among the workers.</summary>
    public int Threads { get; set; }

    /// <summary>
    /// Detectors running side by side, each on the newest frame of the next camera in turn; 0 chooses from the
    /// core count (<see cref="EffectiveWorkers"/>).
    /// </summary>
    public int Workers { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's threads spin between the parallel parts of a run instead of sleeping. Spinning
    /// saves microseconds per run but burns CPU that ffmpeg, decoding the cameras on the same cores, needs.
    /// </summary>
    public bool SpinWait { get; set; }

    /// <summary>Where the model runs: Cpu (default), Cuda or TensorRt.</summary>
    public ExecutionProvider ExecutionProvider { get; set; } = ExecutionProvider.Cpu;

    /// <summary>The GPU to run on (CUDA device number), for Cuda and TensorRt.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Frames of different cameras that one model run may take together. Above 1 the model needs a dynamic
    /// batch dimension (tools/dynamic_batch.py makes one); a worker never waits to fill a batch.
    /// </summary>
    public int BatchSize { get; set; } = 1;

    /// <summary>
    /// COCO class names that are reported; everything else is ignored. Empty means <see cref="DefaultClasses"/>.
    /// (Empty rather than pre-filled: the configuration binder appends to an array, so a default list could
    /// never be narrowed from configuration.)
    /// </summary>
    public string[] Classes { get; set; } = [];

    public IReadOnlyList<string> EffectiveClasses => Classes.Length > 0 ? Classes : DefaultClasses;

    /// <summary>
    /// Whether a frame may be detected in regions around what moved and what is tracked (through
    /// <see cref="RegionModel"/>) rather than whole; off, every detected frame goes whole through <see cref="Model"/>.
    /// </summary>
    public bool Regions { get; set; }

    /// <summary>The model regions go through: YOLOv5 with a small square input (tools/shaped-models.sh makes the 320 copy).</summary>
    public string RegionModel { get; set; } = "models/yolov5s-320x320.onnx";

    /// <summary>
    /// With <see cref="Regions"/>, a camera's frame goes whole through <see cref="Model"/> at least this often: what neither
    /// moves nor is tracked yet (a parked car, a person standing since before the camera started) is found there.
    /// </summary>
    public TimeSpan FullFrameInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>These options with <see cref="RegionModel"/> as the model, one image per run: what a worker's region detector opens.</summary>
    public DetectorOptions ForRegions()
    {
        var copy = (DetectorOptions)MemberwiseClone();
        copy.Model = RegionModel;
        copy.BatchSize = 1;
        return copy;
    }

    /// <summary>
    /// Workers when not configured: on CPU one per core (at most 16, each then with several threads), since
    /// independent single-threaded runs scale better than one run's threads (2-core benchmark: two workers of
    /// one thread ran about 1.5 times the inferences of one worker of two); on a GPU two, so that one
    /// prepares frames while the other's run is on the device.
    /// </summary>
    public int EffectiveWorkers => Workers > 0 ? Workers
        : ExecutionProvider == ExecutionProvider.Cpu ? Math.Clamp(Environment.ProcessorCount, 1, MaxDefaultCpuWorkers) : 2;

    /// <summary>More workers than this would hold a model copy each for little gain; beyond, workers get more threads.</summary>
    private const int MaxDefaultCpuWorkers = 16;

    public int EffectiveThreads => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / EffectiveWorkers);

    /// <summary>Whether <paramref name="path"/> names one of the copies tools/shaped-models.sh derives (not in the repository).</summary>
    private static bool ShapedCopy(string path) =>
        System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(path), @"^yolov5s-\d+x\d+\.onnx$");

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Model))
            yield return "Detector:Model: is required";
        else if (!File.Exists(Model))
            // The shaped copies are derived files, not in the repository.
            yield return ShapedCopy(Model)
                ? $"Detector:Model: file '{Model}' does not exist; it is made from models/yolov5s-640.onnx by tools/shaped-models.sh (needs python3-onnx)"
                : $"Detector:Model: file '{Model}' does not exist";
        if (Regions)
        {
            if (string.IsNullOrWhiteSpace(RegionModel))
                yield return "Detector:RegionModel: is required with Detector:Regions=true";
            else if (!File.Exists(RegionModel))
                yield return $"Detector:RegionModel: file '{RegionModel}' does not exist" +
                    (ShapedCopy(RegionModel) ? "; it is made from models/yolov5s-640.onnx by tools/shaped-models.sh (needs python3-onnx)" : "") +
                    ", or set Detector:Regions=false";
            if (FullFrameInterval <= TimeSpan.Zero || FullFrameInterval > TimeSpan.FromMinutes(10))
                yield return $"Detector:FullFrameInterval: must be more than 0 and at most 00:10:00 (was {FullFrameInterval})";
        }
        if (float.IsNaN(ScoreThreshold) || ScoreThreshold <= 0 || ScoreThreshold >= 1)
            yield return $"Detector:ScoreThreshold: must be greater than 0 and less than 1 (was {ScoreThreshold})";
        if (float.IsNaN(IouThreshold) || IouThreshold <= 0 || IouThreshold >= 1)
            yield return $"Detector:IouThreshold: must be greater than 0 and less than 1 (was {IouThreshold})";
        if (Threads < 0 || Threads > 256)
            yield return $"Detector:Threads: must be between 0 (one per core) and 256 (was {Threads})";
        if (Workers < 0 || Workers > 64)
            yield return $"Detector:Workers: must be between 0 (from the core count) and 64 (was {Workers})";
        if (BatchSize < 1 || BatchSize > 64)
            yield return $"Detector:BatchSize: must be between 1 and 64 (was {BatchSize})";
        if (DeviceId < 0)
            yield return $"Detector:DeviceId: must be 0 or more (was {DeviceId})";
        if (!Enum.IsDefined(ExecutionProvider))
            yield return $"Detector:ExecutionProvider: must be Cpu, Cuda or TensorRt (was {(int)ExecutionProvider})";
        else if (InferenceSessions.Unavailable(ExecutionProvider) is { } reason)
            yield return $"Detector:ExecutionProvider: {reason}";
        foreach (var name in Classes)
        {
            if (!CocoClasses.TryGetId(name, out _))
                yield return $"Detector:Classes: '{name}' is not a COCO class name (e.g. person, car, truck)";
        }
    }
}
