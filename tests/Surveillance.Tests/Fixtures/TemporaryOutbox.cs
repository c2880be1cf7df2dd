namespace Surveillance.Tests.Fixtures;

/// <summary>
/// An outbox file of a test's own, so engines in one test run never see each other's alerts; deleted with
/// SQLite's side files when the test is done with it.
/// </summary>
public sealed class TemporaryOutbox : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"surveillance-outbox-{Guid.NewGuid():N}.db");

    /// <summary>
    /// The alerts the file holds (stored and not yet acknowledged by a broker), oldest first, read with SQLite
    /// itself rather than through the engine; none when the engine has not created the file.
    /// </summary>
    public List<System.Text.Json.JsonElement> StoredAlerts()
    {
        var alerts = new List<System.Text.Json.JsonElement>();
        if (!File.Exists(Path))
            return alerts;
        using var db = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        db.Open();
        using var select = db.CreateCommand();
        select.CommandText = "SELECT payload FROM messages WHERE kind = 'alert' ORDER BY row_id;";
        using var reader = select.ExecuteReader();
        while (reader.Read())
            alerts.Add(System.Text.Json.JsonDocument.Parse((byte[])reader[0]).RootElement.Clone());
        return alerts;
    }

    public void Dispose()
    {
        // The engine keeps its events store beside the outbox (Events:Path).
        var events = System.IO.Path.ChangeExtension(Path, ".events.db");
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm", events, events + "-wal", events + "-shm" })
            File.Delete(file);
    }
}
