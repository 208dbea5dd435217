using Microsoft.Extensions.Options;
using Notify.Shared.Configuration;
using Notify.Shared.Links;

namespace Notify.Tests.Support;

/// <summary>Link tokens derived from a fixed key, for channels and links built outside a host.</summary>
public static class TestLinkTokens
{
    /// <summary>The base64 of the bytes 0 to 31: a valid <c>Notify:Links:TokenKey</c>.</summary>
    public const string Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public static LinkTokens Create(string key = Key) =>
        new(Options.Create(new LinkOptions { TokenKey = key }), Options.Create(new NotifyOptions()));
}
