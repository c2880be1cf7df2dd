namespace Surveillance.Ingest;

/// <summary>A camera's decoder stopped or could not start. The message is safe to log: it holds no credentials.</summary>
public sealed class FrameSourceException(string message, Exception? inner = null) : Exception(message, inner);
