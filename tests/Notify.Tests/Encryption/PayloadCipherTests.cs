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
