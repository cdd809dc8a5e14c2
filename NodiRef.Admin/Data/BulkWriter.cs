using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace NodiRef.Admin.Data;

/// <summary>
/// Writes many rows into one table, in the column order it was created with; values are what EF
/// writes for the column (a <c>Guid</c>, a <c>long</c> for a bigint column), each writer storing them as EF does.
/// Call <see cref="CompleteAsync"/> when done (the connection is free for other commands after it):
/// disposing without it abandons a PostgreSQL COPY.
/// Get one from <see cref="IBulkLoader.CreateWriter"/>.
/// </summary>
public abstract class BulkWriter : IAsyncDisposable
{
    public abstract Task WriteAsync(object?[] row, CancellationToken ct = default);

    public abstract Task CompleteAsync(CancellationToken ct = default);

    public abstract ValueTask DisposeAsync();
}

/// <summary>
/// One prepared single-row INSERT, re-executed with new values: the fastest path on SQLite. A Guid goes in
/// as EF stores it there, upper-case TEXT.
/// </summary>
internal sealed class PreparedInsertWriter : BulkWriter
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private bool _prepared;

    public PreparedInsertWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            _parameters[i] = _command.CreateParameter();
            _parameters[i].ParameterName = "@p" + i;
            _command.Parameters.Add(_parameters[i]);
        }

        _command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", _parameters.Select(p => p.ParameterName))})";
    }

    public override async Task WriteAsync(object?[] row, CancellationToken ct = default)
    {
        for (var i = 0; i < row.Length; i++)
        {
            _parameters[i].Value = row[i] is Guid guid ? guid.ToString().ToUpperInvariant() : row[i] ?? DBNull.Value;
        }

        if (!_prepared)
        {
            await _command.PrepareAsync(ct);
            _prepared = true;
        }

        await _command.ExecuteNonQueryAsync(ct);
    }

    public override Task CompleteAsync(CancellationToken ct = default) => Task.CompletedTask;

    public override ValueTask DisposeAsync() => _command.DisposeAsync();
}

/// <summary>PostgreSQL's binary COPY: rows stream to the server without a statement per row.</summary>
internal sealed class CopyWriter(NpgsqlConnection connection, string table, IReadOnlyList<string> columns) : BulkWriter
{
    private NpgsqlBinaryImporter? _importer;

    public override async Task WriteAsync(object?[] row, CancellationToken ct = default)
    {
        _importer ??= await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        await _importer.StartRowAsync(ct);
        foreach (var value in row)
        {
            if (value is null)
            {
                await _importer.WriteNullAsync(ct);
            }
            else
            {
                await _importer.WriteAsync(value, TypeOf(value), ct);
            }
        }
    }

    // The connection stays in COPY state until the importer is disposed: after this it is free for other commands.
    public override async Task CompleteAsync(CancellationToken ct = default)
    {
        if (_importer is not null)
        {
            await _importer.CompleteAsync(ct);
            await _importer.DisposeAsync();
            _importer = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_importer is not null)
        {
            await _importer.DisposeAsync();
        }
    }

    // Binary COPY sends values in the column's exact wire format, so the type is named, not guessed by the server.
    private static NpgsqlDbType TypeOf(object value) => value switch
    {
        string => NpgsqlDbType.Text,
        int => NpgsqlDbType.Integer,
        long => NpgsqlDbType.Bigint,
        bool => NpgsqlDbType.Boolean,
        DateTime => NpgsqlDbType.TimestampTz,
        DateOnly => NpgsqlDbType.Date,
        Guid => NpgsqlDbType.Uuid,
        byte[] => NpgsqlDbType.Bytea,
        _ => throw new ArgumentException($"No COPY mapping for {value.GetType()}.", nameof(value)),
    };
}
