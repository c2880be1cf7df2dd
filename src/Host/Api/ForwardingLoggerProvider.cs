using Microsoft.Extensions.Logging;

namespace Surveillance.Host.Api;

/// <summary>Hands the embedded web application's log lines to the engine's loggers, so that they go where the engine's go, filtered as they are.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory engine) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => engine.CreateLogger(categoryName);

    // The engine's factory belongs to the engine, which disposes of it.
    public void Dispose()
    {
    }
}
