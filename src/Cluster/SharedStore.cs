using Npgsql;

namespace Surveillance.Cluster;

/// <summary>
/// The cluster's PostgreSQL: who owns each camera and under which epoch, each camera's last <c>seq</c>, the events open
/// on each camera, and the alerts on their way to the broker, all in one database so that an alert is committed in the
/// same transaction that checks its node still owns the camera. Tables are created on first use (no operator step);
/// every row carries the cluster id, so several clusters can share a database.
/// </summary>
public sealed class SharedStore : IAsyncDisposable
{
    /// <summary>Short, so that a store that went away holds up a node's loops for seconds, not minutes.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the server lets a session sit idle inside a transaction before it ends it. A node frozen in the middle of
    /// one (SIGSTOP, a paused VM, a stalled disk) keeps its connection, and with it the row locks of the cameras it was
    /// committing for, for as long as it sleeps: no other node could take those cameras over, and every claim waited out
    /// its command timeout again and again. Our transactions are milliseconds between statements, except while a batch of
    /// the shared outbox is published to the broker; a batch that takes longer is rolled back and published again.
    /// </summary>
    public static readonly TimeSpan AbandonedTransactionTimeout = TimeSpan.FromSeconds(10);

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS surveillance_node (
            cluster_id text NOT NULL,
            silo text NOT NULL,
            node_id text NOT NULL,
            capacity integer NOT NULL,
            draining boolean NOT NULL DEFAULT false,
            seen_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (cluster_id, silo));
        CREATE TABLE IF NOT EXISTS surveillance_camera (
            cluster_id text NOT NULL,
            camera_id text NOT NULL,
            owner_silo text,
            owner_node text,
            epoch bigint NOT NULL DEFAULT 0,
            seq bigint NOT NULL DEFAULT 0,
            state text NOT NULL DEFAULT 'unowned',
            grade text NOT NULL DEFAULT 'none',
            fps double precision NOT NULL DEFAULT 0,
            last_frame_at timestamptz,
            moved_at timestamptz,
            PRIMARY KEY (cluster_id, camera_id));
        CREATE TABLE IF NOT EXISTS surveillance_open_event (
            cluster_id text NOT NULL,
            event_id text NOT NULL,
            camera_id text NOT NULL,
            alert bytea NOT NULL,
            PRIMARY KEY (cluster_id, event_id));
        CREATE INDEX IF NOT EXISTS surveillance_open_event_by_camera ON surveillance_open_event (cluster_id, camera_id);
        CREATE TABLE IF NOT EXISTS surveillance_outbox (
            id bigserial PRIMARY KEY,
            cluster_id text NOT NULL,
            camera_id text NOT NULL,
            kind text NOT NULL,
            seq bigint NOT NULL,
            topic text NOT NULL,
            payload bytea NOT NULL,
            content_type text NOT NULL,
            retain boolean NOT NULL,
            summary text NOT NULL,
            user_properties text,
            stored_at timestamptz NOT NULL,
            shipped_by text NOT NULL);
        CREATE INDEX IF NOT EXISTS surveillance_outbox_by_camera ON surveillance_outbox (cluster_id, camera_id, id);
        """;

    /// <summary>Every table and index of <see cref="Schema"/>, looked up without locking any of them.</summary>
    private const string SchemaPresent = """
        SELECT to_regclass('surveillance_node') IS NOT NULL AND to_regclass('surveillance_camera') IS NOT NULL
           AND to_regclass('surveillance_open_event') IS NOT NULL AND to_regclass('surveillance_open_event_by_camera') IS NOT NULL
           AND to_regclass('surveillance_outbox') IS NOT NULL AND to_regclass('surveillance_outbox_by_camera') IS NOT NULL;
        """;

    private readonly NpgsqlDataSource _source;
    private readonly string _dedicated;

    public SharedStore(ClusterOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Postgres)
        {
            Timeout = Math.Max(1, (int)CommandTimeout.TotalSeconds),
            CommandTimeout = Math.Max(1, (int)CommandTimeout.TotalSeconds),
        };
        builder.Options = $"{builder.Options} -c idle_in_transaction_session_timeout={(int)AbandonedTransactionTimeout.TotalMilliseconds}".TrimStart();
        _source = NpgsqlDataSource.Create(builder);
        _dedicated = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString;
        ClusterId = options.ClusterId;
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public string ClusterId { get; }

    /// <summary>Host, port and database, for logs: never the password.</summary>
    public string Description { get; }

    /// <summary>Creates the tables if they are missing; nodes starting together take turns (an advisory lock).</summary>
    /// <summary>
    /// Creates the tables where they are missing. Only then does it run DDL: even <c>CREATE INDEX IF NOT EXISTS</c> takes
    /// a share lock on its table before it looks, and a node starting beside running ones deadlocked with their
    /// transactions that way.
    /// </summary>
    public async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await SchemaPresentAsync(connection, null, cancellationToken).ConfigureAwait(false))
            return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('surveillance-schema'));", connection, transaction))
            await lockSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Another node may have made it while this one waited for the lock.
        if (!await SchemaPresentAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            await using var create = new NpgsqlCommand(Schema, connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> SchemaPresentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var present = new NpgsqlCommand(SchemaPresent, connection, transaction);
        return await present.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true;
    }

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A connection of its own, outside the pool: closing it ends its session (and frees what the session holds) at once.</summary>
    public async Task<NpgsqlConnection> OpenDedicatedAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_dedicated);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Whether <paramref name="e"/> says the store could not be reached or did not answer in time (the node keeps its
    /// cameras and retries), as opposed to a bug.
    /// </summary>
    public static bool IsUnreachable(Exception e) =>
        e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
        || (e is InvalidOperationException && e.InnerException is not null && IsUnreachable(e.InnerException));

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
