namespace Surveillance.Tests.Fixtures;

/// <summary>
/// An outbox file of a test's own, so engines in one test run never see each other's alerts; deleted with
/// SQLite's side files when the test is done with it.
/// </summary>
public sealed class TemporaryOutbox : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"surveillance-outbox-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
            File.Delete(file);
    }
}
