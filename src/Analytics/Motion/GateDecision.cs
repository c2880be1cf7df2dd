namespace Surveillance.Analytics.Motion;

public enum GateDecision
{
    /// <summary>Nothing moved and nothing is due for a look: the detector is spared.</summary>
    Skip,

    /// <summary>Something moved (or the gate is off, or this is the first frame): the detector runs.</summary>
    Motion,

    /// <summary>Nothing moved, but tracked objects are due for a look to see whether they are still there.</summary>
    Recheck,
}
