using System.Security.Claims;
using Notify.Frontend.Keys;
using Notify.Metadata.Keys;

namespace Notify.Tests.Keys;

public sealed class TopicScopeTests
{
    private static TopicScope ScopeOf(ApiKeyPermission[] permissions, string[] topics) =>
        TopicScope.Of(new ClaimsPrincipal(ApiKeyClaims.Scoped(Key(permissions, topics), "ApiKey")));

    private static ApiKey Key(ApiKeyPermission[] permissions, string[] topics, ApiKeyRateLimit? rateLimit = null) => new()
    {
        Id = "key_1",
        Name = "ci",
        KeyHash = new string('0', 64),
        Permissions = permissions,
        Topics = topics,
        RateLimit = rateLimit,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Theory]
    [InlineData("orders", "orders", true)]
    [InlineData("orders", "orders-eu", false)]
    [InlineData("orders", "Orders", false)]
    [InlineData("billing-*", "billing-", true)]
    [InlineData("billing-*", "billing-eu", true)]
    [InlineData("billing-*", "billing", false)]
    [InlineData("billing-*", "xbilling-eu", false)]
    [InlineData("*", "anything", true)]
    public void Pattern_CoversExactNamesAndPrefixes(string pattern, string topic, bool covered) =>
        Assert.Equal(covered, ScopeOf([ApiKeyPermission.Read], [pattern]).Covers(topic));

    [Fact]
    public void Manage_IncludesRead_AndNothingElse()
    {
        var scope = ScopeOf([ApiKeyPermission.Manage], ["orders"]);

        Assert.True(scope.Allows(ApiKeyPermission.Read, "orders"));
        Assert.True(scope.Allows(ApiKeyPermission.Manage, "orders"));
        Assert.False(scope.Allows(ApiKeyPermission.Publish, "orders"));
        Assert.False(scope.Allows(ApiKeyPermission.Subscribe, "orders"));
        Assert.False(scope.Allows(ApiKeyPermission.Read, "billing"));
        Assert.False(ScopeOf([ApiKeyPermission.Read], ["orders"]).Allows(ApiKeyPermission.Manage, "orders"));
    }

    [Fact]
    public void AdminKey_MayDoEverywhereAnything()
    {
        var scope = TopicScope.Of(new ClaimsPrincipal(ApiKeyClaims.Admin("admin:1234", "ApiKey")));

        Assert.True(scope.IsAdmin);
        Assert.All(Enum.GetValues<ApiKeyPermission>(), p => Assert.True(scope.Allows(p, "any-topic")));
    }

    /// <summary>The throttle and the audit trail read these claims by name.</summary>
    [Fact]
    public void ScopedClaims_NameTheKeyItsPermissionsTopicsAndRates()
    {
        var identity = ApiKeyClaims.Scoped(Key([ApiKeyPermission.Publish, ApiKeyPermission.Read], ["orders", "billing-*"], new ApiKeyRateLimit(2.5, 10, null, 40)), "ApiKey");

        Assert.Equal("key_1", identity.FindFirst(ClaimTypes.Name)?.Value);
        Assert.Null(identity.FindFirst(ClaimTypes.Role));
        Assert.Equal(["publish", "read"], identity.FindAll("notify:permission").Select(c => c.Value));
        Assert.Equal(["orders", "billing-*"], identity.FindAll("notify:topics").Select(c => c.Value));
        Assert.Equal("2.5", identity.FindFirst("notify:rate:publishPerSecond")?.Value);
        Assert.Equal("10", identity.FindFirst("notify:rate:publishBurst")?.Value);
        Assert.Null(identity.FindFirst("notify:rate:requestsPerSecond"));
        Assert.Equal("40", identity.FindFirst("notify:rate:requestsBurst")?.Value);
    }

    [Fact]
    public void AdminClaims_AreItsIdAndTheAdminRole()
    {
        var identity = ApiKeyClaims.Admin("admin:1234", "ApiKey");

        Assert.Equal("admin:1234", identity.FindFirst(ClaimTypes.Name)?.Value);
        Assert.Equal("admin", identity.FindFirst(ClaimTypes.Role)?.Value);
        Assert.Empty(identity.FindAll("notify:permission"));
    }
}
