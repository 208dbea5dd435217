using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Notify.Shared.Encryption;
using Xunit.Abstractions;

namespace Notify.Tests.Encryption;

public sealed class PayloadCipherTests(ITestOutputHelper output)
{
    private const string Body = """{"subject":"Grüße","message":"the launch code is 4711 ✓"}""";

    private readonly EncryptionKey _key = EncryptionKey.Generate();

    [Fact]
    public void Seal_ThenOpen_GivesThePlaintextBack()
    {
        var cipher = new PayloadCipher(_key, []);

        var sealedValue = cipher.Seal(Body, "queue message m1");

        Assert.Equal(Body, cipher.Open(sealedValue, "queue message m1"));
    }

    [Fact]
    public void Seal_HoldsNoPlaintext_AndDiffersEachTime()
    {
        var cipher = new PayloadCipher(_key, []);

        var first = cipher.Seal(Body, "queue message m1");
        var second = cipher.Seal(Body, "queue message m1");

        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf("4711"u8));
        Assert.Equal(1 + 4 + 12 + 16 + Encoding.UTF8.GetByteCount(Body), first.Length);
    }

    [Fact]
    public void Seal_WritesTheDocumentedLayout_ThatPlainAesGcmOpens()
    {
        // format (1) | key id (4) | nonce (12) | tag (16) | ciphertext, the context as associated data: what
        // values already on disk hold, whichever way the cipher keeps its AES-GCM instances.
        var sealedValue = new PayloadCipher(_key, []).Seal(Body, "queue message m1");

        Assert.Equal(1, sealedValue[0]);
        Assert.Equal(_key.Id, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(sealedValue.AsSpan(1, 4)));
        var plain = new byte[sealedValue.Length - 33];
        using var aes = new AesGcm(Convert.FromBase64String(_key.ToBase64()), 16);
        aes.Decrypt(sealedValue.AsSpan(5, 12), sealedValue.AsSpan(33), sealedValue.AsSpan(17, 16), plain, Encoding.UTF8.GetBytes("queue message m1"));
        Assert.Equal(Body, Encoding.UTF8.GetString(plain));
    }

    [Fact]
    public void Seal_WithAContextLongerThanTheStackBuffer_OpensOnlyUnderThatContext()
    {
        var cipher = new PayloadCipher(_key, []);
        var context = "dead letter " + new string('ü', 300);

        var sealedValue = cipher.Seal(Body, context);

        Assert.Equal(Body, cipher.Open(sealedValue, context));
        Assert.Throws<CryptographicException>(() => cipher.Open(sealedValue, context[..^1]));
    }

    [Fact]
    public async Task Seal_AndOpen_FromManyThreadsAtOnce_EachValueOpensUnderItsOwnContext()
    {
        var old = EncryptionKey.Generate();
        var written = new PayloadCipher(old, []).Seal(Body, "dead letter old");
        var cipher = new PayloadCipher(_key, [old]);

        var rounds = Enumerable.Range(0, 8).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                var context = $"queue message {thread}-{i}";
                var body = $"{Body} {thread}-{i}";
                Assert.Equal(body, cipher.Open(cipher.Seal(body, context), context));
                Assert.Equal(Body, cipher.Open(written, "dead letter old"));
            }
        }));

        await Task.WhenAll(rounds);
    }

    [Fact]
    public void Open_OfATamperedCiphertext_Fails()
    {
        var cipher = new PayloadCipher(_key, []);
        var sealedValue = cipher.Seal(Body, "queue message m1");

        sealedValue[^1] ^= 1;

        var failure = Assert.Throws<CryptographicException>(() => cipher.Open(sealedValue, "queue message m1"));
        Assert.Contains("queue message m1", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_WithAnotherContext_Fails()
    {
        var cipher = new PayloadCipher(_key, []);
        var sealedValue = cipher.Seal(Body, "queue message m1");

        Assert.Throws<CryptographicException>(() => cipher.Open(sealedValue, "queue message m2"));
    }

    [Fact]
    public void Open_OfAString_IsPlaintextFromBeforeEncryption()
    {
        var cipher = new PayloadCipher(_key, []);

        Assert.Equal(Body, cipher.Open(Body, "queue message m1"));
    }

    [Fact]
    public void Open_OfBytesNotSealedByNotify_Fails()
    {
        var cipher = new PayloadCipher(_key, []);

        Assert.Throws<CryptographicException>(() => cipher.Open(Encoding.UTF8.GetBytes(Body), "queue message m1"));
    }

    [Fact]
    public void Open_UnderAPreviousKey_Works_AndNewValuesUseTheCurrentKey()
    {
        var old = new PayloadCipher(_key, []);
        var written = old.Seal(Body, "dead letter m1");
        var next = EncryptionKey.Generate();
        var rotated = new PayloadCipher(next, [_key]);

        Assert.Equal(Body, rotated.Open(written, "dead letter m1"));
        var rewritten = rotated.Seal(Body, "dead letter m1");
        Assert.Equal(Body, new PayloadCipher(next, []).Open(rewritten, "dead letter m1"));
        Assert.Throws<UnknownEncryptionKeyException>(() => old.Open(rewritten, "dead letter m1"));
    }

    [Fact]
    public void Open_UnderAKeyNotConfigured_SaysWhichKeyIsMissingAndWhatToSet_WithoutAnyKey()
    {
        var written = new PayloadCipher(_key, []).Seal(Body, "queue message m1");
        var other = EncryptionKey.Generate();

        var failure = Assert.Throws<UnknownEncryptionKeyException>(() => new PayloadCipher(other, []).Open(written, "queue message m1"));

        Assert.Contains($"encrypted under key {_key.Name}", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"Notify:Encryption:Key (key {other.Name})", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Notify:Encryption:PreviousKeys", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_key.ToBase64(), failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(other.ToBase64(), failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_OfSealingAndOpeningOneKiB_IsReported()
    {
        // A figure for the record, not a timed assertion: what encryption adds per stored message.
        var cipher = new PayloadCipher(_key, []);
        var body = new string('x', 1024);
        const int Rounds = 20_000;
        for (var i = 0; i < 1000; i++)
        {
            cipher.Open(cipher.Seal(body, "m"), "m");
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            cipher.Open(cipher.Seal(body, "m"), "m");
        }

        output.WriteLine($"Seal + Open of 1 KiB: {watch.Elapsed.TotalMicroseconds / Rounds:F2} µs");
    }
}
