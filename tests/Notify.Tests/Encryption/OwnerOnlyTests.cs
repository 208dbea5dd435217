using Microsoft.Data.Sqlite;
using Notify.Shared.Configuration;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Encryption;

// File modes are Unix's; on Windows the data directory's ACLs apply.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OwnerOnlyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void EnsureDataDirectory_CreatesTheDirectoryOwnerOnly()
    {
        var path = _directory.File("store");

        new NotifyOptions { DataDirectory = path }.EnsureDataDirectory();

        Assert.Equal(OwnerOnly.DirectoryMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task ADatabase_AndItsWriteAheadLogAndSharedMemory_AreOwnerOnly()
    {
        var path = _directory.File("queue.db");
        var database = new SqliteDatabase(path, SqliteDatabase.Durability.Full);

        await using (var connection = await database.OpenAsync())
        {
            using var write = connection.CreateCommand();
            write.CommandText = "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('a');";
            await write.ExecuteNonQueryAsync();

            // While the connection is open the -wal and -shm files exist.
            Assert.True(File.Exists(path + "-wal"));
            foreach (var file in Directory.GetFiles(_directory.Path))
            {
                Assert.True(OwnerOnly.FileMode == File.GetUnixFileMode(file), $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
            }
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task ADatabaseFileOthersCouldRead_IsTightenedWhenOpened()
    {
        var path = _directory.File("deliveries.db");
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, OwnerOnly.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await new SqliteDatabase(path, SqliteDatabase.Durability.Normal).ExecuteAsync("CREATE TABLE t (x INTEGER)");

        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(path));
        SqliteConnection.ClearAllPools();
    }

    public void Dispose() => _directory.Dispose();
}
