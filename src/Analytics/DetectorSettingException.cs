namespace Surveillance.Analytics;

/// <summary>
/// A detector cannot be made because of one of its settings, which the message names
/// (<c>Detector:ExecutionProvider: …</c>), unlike a model file that fails to load for reasons of its own.
/// </summary>
public sealed class DetectorSettingException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
