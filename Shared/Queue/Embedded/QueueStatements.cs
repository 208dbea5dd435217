using System.Runtime.ExceptionServices;
using Microsoft.Data.Sqlite;
using Notify.Shared.Encryption;

namespace Notify.Shared.Queue.Embedded;

/// <summary>
/// The writer's statements on its one connection, prepared once: Microsoft.Data.Sqlite keeps a command's
/// statement prepared while its text stays the same, so each row only rebinds parameters.
/// </summary>
internal sealed class QueueStatements : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _changeVisibility;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _rollbackToSavepoint;
    private readonly SqliteCommand _releaseSavepoint;

    public QueueStatements(SqliteConnection connection)
    {
        _insert = Command(connection, """
            INSERT INTO messages (id, body, sent_at, visible_at, receive_count)
            VALUES ($id, $body, $now, $visible_at, 0)
            """, ("$id", SqliteType.Text), ("$body", SqliteType.Blob), ("$now", SqliteType.Integer), ("$visible_at", SqliteType.Integer));
        _delete = Command(connection, "DELETE FROM messages WHERE sequence = $sequence", ("$sequence", SqliteType.Integer));
        _changeVisibility = Command(connection, """
            UPDATE messages SET visible_at = $visible_at
            WHERE sequence = $sequence AND receive_count = $receive_count
            """, ("$visible_at", SqliteType.Integer), ("$sequence", SqliteType.Integer), ("$receive_count", SqliteType.Integer));
        _claim = Command(connection, """
            UPDATE messages
            SET visible_at = $hidden_until, receive_count = receive_count + 1
            WHERE sequence IN (
                SELECT sequence FROM messages
                WHERE visible_at <= $now
                ORDER BY visible_at, sequence
                LIMIT $max)
            RETURNING sequence, id, body, receive_count, sent_at
            """, ("$hidden_until", SqliteType.Integer), ("$now", SqliteType.Integer), ("$max", SqliteType.Integer));
        _savepoint = Command(connection, "SAVEPOINT claim");
        _rollbackToSavepoint = Command(connection, "ROLLBACK TO claim");
        _releaseSavepoint = Command(connection, "RELEASE claim");
    }

    /// <summary>The writer's transaction; every statement runs in it.</summary>
    public SqliteTransaction? Transaction
    {
        set
        {
            foreach (var command in new[] { _insert, _delete, _changeVisibility, _claim, _savepoint, _rollbackToSavepoint, _releaseSavepoint })
            {
                command.Transaction = value;
            }
        }
    }

    public void Insert(string id, byte[] sealedBody, long nowMs, long visibleAtMs)
    {
        _insert.Parameters["$id"].Value = id;
        _insert.Parameters["$body"].Value = sealedBody;
        _insert.Parameters["$now"].Value = nowMs;
        _insert.Parameters["$visible_at"].Value = visibleAtMs;
        _insert.ExecuteNonQuery();
    }

    public bool Delete(long sequence)
    {
        _delete.Parameters["$sequence"].Value = sequence;
        return _delete.ExecuteNonQuery() > 0;
    }

    /// <remarks>
    /// A handle stays current until the message is received again, even if its visibility timeout has
    /// passed meanwhile; SQS would answer false for a message that is no longer in flight.
    /// </remarks>
    public bool ChangeVisibility(ReceiptHandle handle, long visibleAtMs)
    {
        _changeVisibility.Parameters["$visible_at"].Value = visibleAtMs;
        _changeVisibility.Parameters["$sequence"].Value = handle.Sequence;
        _changeVisibility.Parameters["$receive_count"].Value = handle.ReceiveCount;
        return _changeVisibility.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// Hides up to <paramref name="maxMessages"/> visible messages until <paramref name="hiddenUntilMs"/>
    /// and returns them oldest first. Inside a savepoint: a body that cannot be opened undoes this claim
    /// alone, and the exception reaches its receive only.
    /// </summary>
    public IReadOnlyList<ReceivedMessage> Claim(int maxMessages, long nowMs, long hiddenUntilMs, PayloadCipher cipher)
    {
        _savepoint.ExecuteNonQuery();
        try
        {
            _claim.Parameters["$hidden_until"].Value = hiddenUntilMs;
            _claim.Parameters["$now"].Value = nowMs;
            _claim.Parameters["$max"].Value = maxMessages;
            var received = new List<(long Sequence, ReceivedMessage Message)>(maxMessages);
            using (var reader = _claim.ExecuteReader())
            {
                while (reader.Read())
                {
                    var sequence = reader.GetInt64(0);
                    var receiveCount = reader.GetInt32(3);
                    var id = reader.GetString(1);
                    received.Add((sequence, new ReceivedMessage(
                        Id: id,
                        ReceiptHandle: new ReceiptHandle(sequence, receiveCount).ToString(),
                        Body: cipher.Open(reader.GetValue(2), SealedContexts.QueueBody(id)),
                        ReceiveCount: receiveCount,
                        SentAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))));
                }
            }

            _releaseSavepoint.ExecuteNonQuery();

            // RETURNING promises no order; callers see the oldest first.
            received.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
            return received.ConvertAll(static r => r.Message);
        }
        catch (Exception original)
        {
            try
            {
                _rollbackToSavepoint.ExecuteNonQuery();
                _releaseSavepoint.ExecuteNonQuery();
            }
            catch (SqliteException)
            {
                // SQLite ended the whole transaction itself (a full disk, an I/O error): the group fails, with
                // the cause rather than the savepoint's "no such savepoint", so it is still told as an outage.
                ExceptionDispatchInfo.Throw(original);
            }

            throw;
        }
    }

    public void Dispose()
    {
        foreach (var command in new[] { _insert, _delete, _changeVisibility, _claim, _savepoint, _rollbackToSavepoint, _releaseSavepoint })
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string text, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        return command;
    }
}
