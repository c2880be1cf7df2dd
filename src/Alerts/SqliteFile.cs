using Microsoft.Data.Sqlite;

namespace Surveillance.Alerts;

/// <summary>How the node's SQLite stores (the outbox, the events store) open their file.</summary>
internal static class SqliteFile
{
    /// <summary>
    /// Opens <paramref name="file"/>, made with its directory where missing, unpooled (the store owns its one connection),
    /// in WAL mode with <c>synchronous=NORMAL</c>: a commit is on disk once the WAL is, without a sync of the database per write.
    /// </summary>
    public static SqliteConnection Open(string file)
    {
        var path = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            command.ExecuteNonQuery();
            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }
}
