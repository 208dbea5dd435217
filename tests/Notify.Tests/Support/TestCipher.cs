using Notify.Shared.Encryption;

namespace Notify.Tests.Support;

/// <summary>One cipher for the stores tests build by hand, so a store reopened on the same file reads what it wrote.</summary>
internal static class TestCipher
{
    public static PayloadCipher Instance { get; } = new(EncryptionKey.Generate(), []);
}
