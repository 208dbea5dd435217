using System.Security.Cryptography;
using System.Text;

namespace Notify.Tests.Queue.Sqs.Support;

/// <summary>
/// Recomputes the SigV4 signature of a recorded POST to <c>/</c> from the secret key, written from AWS's
/// specification rather than with AWSSDK.Core, so a test can tell a valid signature from a well-formed one.
/// </summary>
internal static class SigV4Check
{
    /// <returns>The signature the request should carry, and the one it carries.</returns>
    public static (string Expected, string Actual) Signatures(ScriptedSqsServer.RecordedRequest request, string secretKey)
    {
        var authorization = request.Headers["Authorization"];
        const string Algorithm = "AWS4-HMAC-SHA256 ";
        Assert.StartsWith(Algorithm, authorization, StringComparison.Ordinal);
        var parts = authorization[Algorithm.Length..]
            .Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

        var scope = parts["Credential"][(parts["Credential"].IndexOf('/', StringComparison.Ordinal) + 1)..];
        var scopeParts = scope.Split('/');
        var signedHeaders = parts["SignedHeaders"];
        var canonicalHeaders = string.Concat(signedHeaders.Split(';').Select(name => $"{name}:{request.Headers[name].Trim()}\n"));
        var canonicalRequest = $"POST\n/\n\n{canonicalHeaders}\n{signedHeaders}\n{Hex(SHA256.HashData(request.Body))}";
        var stringToSign = $"AWS4-HMAC-SHA256\n{request.Headers["X-Amz-Date"]}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var key = Encoding.UTF8.GetBytes("AWS4" + secretKey);
        foreach (var part in scopeParts)
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }

        return (Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))), parts["Signature"]);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
