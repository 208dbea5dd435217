using Microsoft.Data.Sqlite;

namespace Notify.Shared.Dependencies;

/// <summary>
/// Which SQLite failures are the disk's, not the data's: SQLITE_BUSY (5), SQLITE_READONLY (8),
/// SQLITE_IOERR (10), SQLITE_FULL (13), SQLITE_CANTOPEN (14). A constraint or a malformed statement is
/// not an outage.
/// </summary>
internal static class SqliteOutage
{
    private static readonly HashSet<int> StorageErrors = [5, 8, 10, 13, 14];

    public static bool IsOutage(Exception exception, CancellationToken callerToken) =>
        exception is SqliteException sqlite && StorageErrors.Contains(sqlite.SqliteErrorCode);
}
