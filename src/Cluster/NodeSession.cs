using Npgsql;

namespace Surveillance.Cluster;

/// <summary>
/// This node's session with the shared store, held open for as long as the process lives, with an advisory lock named
/// after its silo. A killed process's connections close at once, and PostgreSQL frees the lock with them: the other
/// nodes see that within a round, where Orleans' probes take several probe periods. A frozen or starved node keeps its
/// session (its socket stays open), so only its probes can have it declared dead.
/// </summary>
public sealed class NodeSession(SharedStore store, string silo) : IAsyncDisposable
{
    private NpgsqlConnection? _connection;

    /// <summary>Whether the lock is held now; takes it again on a new connection after the old one broke (the store restarted).</summary>
    public async Task<bool> EnsureHeldAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } open)
        {
            try
            {
                await using var ping = new NpgsqlCommand("SELECT 1;", open);
                await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                await open.DisposeAsync().ConfigureAwait(false);
                _connection = null;
            }
        }
        var connection = await store.OpenDedicatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another session may still hold it: one the server has not yet seen broken. The next round tries again.
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtext($1), hashtext($2));", connection)
            {
                Parameters = { new() { Value = store.ClusterId }, new() { Value = silo } },
            };
            if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                _connection = connection;
                return true;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await connection.DisposeAsync().ConfigureAwait(false);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
            await connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }
}
