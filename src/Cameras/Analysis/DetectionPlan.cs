namespace Surveillance.Cameras.Analysis;

/// <summary>How a frame is to be looked at, as its camera's analysis decided.</summary>
public enum DetectionPlan
{
    /// <summary>Not at all: the frame was handled without the detector (the motion gate, or nothing to look at).</summary>
    Skip,

    /// <summary>Whole, through the whole-frame model.</summary>
    WholeFrame,

    /// <summary>In the regions the analysis planned, through the region model.</summary>
    Regions,
}
