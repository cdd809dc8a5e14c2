using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Runs a piece of SQL once, right before the first command whose text starts with a given
/// prefix: a deterministic stand-in for another user's change landing between a service's read
/// and its write.
/// </summary>
public sealed class SqlHook : DbCommandInterceptor
{
    private readonly Lock _gate = new();
    private (string Prefix, string Sql)? _pending;

    public bool Fired { get; private set; }

    public void OnceBefore(string commandPrefix, string sql)
    {
        lock (_gate)
        {
            _pending = (commandPrefix, sql);
            Fired = false;
        }
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

    private void Run(DbCommand command)
    {
        string sql;
        lock (_gate)
        {
            if (_pending is not { } pending || !command.CommandText.TrimStart().StartsWith(pending.Prefix, StringComparison.OrdinalIgnoreCase))
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
}
