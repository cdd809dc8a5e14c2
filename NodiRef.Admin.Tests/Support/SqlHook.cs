using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Runs a piece of SQL once, right before the first command whose text starts with a given
/// prefix, or right before the next transaction starts: a deterministic stand-in for another
/// user's change landing between a service's read and its write.
/// </summary>
/// <remarks>
/// A change injected inside the service's own transaction would be rolled back with it; use
/// <see cref="OnceBeforeTransaction"/> for writes the service makes in an explicit transaction.
/// </remarks>
public sealed class SqlHook : DbCommandInterceptor, IDbTransactionInterceptor
{
    private const string TransactionStart = "\u0000transaction";

    private readonly Lock _gate = new();
    private (string Prefix, string Sql)? _pending;

    public bool Fired { get; private set; }

    /// <summary>How many explicit transactions the services started.</summary>
    public int TransactionsStarted { get; private set; }

    public void OnceBefore(string commandPrefix, string sql)
    {
        lock (_gate)
        {
            _pending = (commandPrefix, sql);
            Fired = false;
        }
    }

    /// <summary>Runs <paramref name="sql"/> once, committed on its own, just before the next transaction begins.</summary>
    public void OnceBeforeTransaction(string sql) => OnceBefore(TransactionStart, sql);

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        RunBeforeTransaction(connection);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        RunBeforeTransaction(connection);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Run(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Run(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Run(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Run(command);
        return ValueTask.FromResult(result);
    }

    private void RunBeforeTransaction(DbConnection connection)
    {
        TransactionsStarted++;
        string sql;
        lock (_gate)
        {
            if (_pending is not { Prefix: TransactionStart } pending)
            {
                return;
            }

            sql = pending.Sql;
            _pending = null;
            Fired = true;
        }

        using var interloper = connection.CreateCommand();
        interloper.CommandText = sql;
        interloper.ExecuteNonQuery();
    }

    private void Run(DbCommand command)
    {
        string sql;
        lock (_gate)
        {
            // Identifiers compared without their quotes: SQLite's SQL quotes every one, PostgreSQL's only those that need it.
            if (_pending is not { } pending || !Unquoted(command.CommandText.TrimStart()).StartsWith(Unquoted(pending.Prefix), StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            sql = pending.Sql;
            _pending = null;
            Fired = true;
        }

        using var interloper = command.Connection!.CreateCommand();
        interloper.Transaction = command.Transaction;
        interloper.CommandText = sql;
        interloper.ExecuteNonQuery();
    }

    private static string Unquoted(string sql) => sql.Replace("\"", "", StringComparison.Ordinal);
}
