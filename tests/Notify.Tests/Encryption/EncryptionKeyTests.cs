using Microsoft.Extensions.Options;
using Notify.Shared.Encryption;
using Notify.Shared.Storage;
using Notify.Tests.Support;

namespace Notify.Tests.Encryption;

// File modes are Unix's; on Windows the data directory's ACLs apply.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EncryptionKeyTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Validation_RefusesAKeyOfTheWrongLength_NamingTheSettingAndNotTheValue()
    {
        var shortKey = Convert.ToBase64String(new byte[16]);
        var options = new EncryptionOptions { Key = shortKey, PreviousKeys = ["not base64!"] };

        var result = new EncryptionOptionsValidation().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Notify:Encryption:Key decodes to 16 bytes", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Notify:Encryption:PreviousKeys:0 is not valid base64", StringComparison.Ordinal));
        Assert.DoesNotContain(shortKey, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_AcceptsThirtyTwoBytesAndNoKey()
    {
        var validation = new EncryptionOptionsValidation();

        Assert.Equal(ValidateOptionsResult.Success, validation.Validate(null, new EncryptionOptions { Key = EncryptionKey.Generate().ToBase64() }));
        Assert.Equal(ValidateOptionsResult.Success, validation.Validate(null, new EncryptionOptions()));
    }

    [Fact]
    public void ReadOrCreate_GeneratesOnce_OwnerOnly_AndLaterCallsReadTheSameKey()
    {
        var (first, generated) = EncryptionKeyFile.ReadOrCreate(_directory.Path);
        var (second, again) = EncryptionKeyFile.ReadOrCreate(_directory.Path);

        Assert.True(generated);
        Assert.False(again);
        Assert.Equal(first.Id, second.Id);
        var file = _directory.File(EncryptionKeyFile.FileName);
        Assert.Equal(OwnerOnly.FileMode, File.GetUnixFileMode(file));
        Assert.Equal([EncryptionKeyFile.FileName], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ReadOrCreate_FromManyStartsAtOnce_AllUseOneKey()
    {
        using var start = new Barrier(8);
        var keys = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            return EncryptionKeyFile.ReadOrCreate(_directory.Path);
        })));

        Assert.Single(keys.Select(k => k.Key.Id).Distinct());
        Assert.Single(keys, k => k.Generated);
        Assert.Single(Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void Read_OfADamagedFile_SaysWhichFileAndWhatToDo()
    {
        File.WriteAllText(_directory.File(EncryptionKeyFile.FileName), "abc");

        var failure = Assert.Throws<InvalidOperationException>(() => EncryptionKeyFile.Read(_directory.Path));

        Assert.Contains(_directory.File(EncryptionKeyFile.FileName), failure.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Encryption:Key", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
