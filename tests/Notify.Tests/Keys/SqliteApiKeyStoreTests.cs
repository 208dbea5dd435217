using Notify.Metadata.Keys;
using Notify.Metadata.Store.Embedded;
using Notify.Tests.Support;

namespace Notify.Tests.Keys;

public sealed class SqliteApiKeyStoreTests : ApiKeyStoreContractTests, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override IApiKeyStore NewStore() => new SqliteApiKeyStore(_directory.File("metadata.db"));

    /// <summary>Keys live in the metadata file beside topics, which still work on the same file.</summary>
    [Fact]
    public async Task Keys_ShareTheMetadataFileWithTopics()
    {
        var metadata = new SqliteMetadataStore(_directory.File("metadata.db"), TimeProvider.System);
        await metadata.CreateTopicAsync("orders", Now, default);
        await NewStore().ListAsync(10, null, default);

        Assert.NotNull(await metadata.GetTopicAsync("orders", default));
    }

    public void Dispose() => _directory.Dispose();
}
