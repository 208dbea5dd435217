using System.Text.Json;
using Notify.Frontend.Validation;
using Notify.Metadata.Model;

namespace Notify.Tests.Frontend;

public sealed class DeliveryPolicyRuleTests
{
    private static readonly DeliveryPolicy Current = new([5, 60], 2);

    [Fact]
    public void Both_Members_AtTheirLimits_AreAccepted()
    {
        var seconds = string.Join(',', Enumerable.Repeat("86400", 19).Prepend("0"));

        var problem = DeliveryPolicyRule.Apply(Json($$"""{"retrySeconds":[{{seconds}}],"maxPerSecond":10000}"""), null, out var policy);

        Assert.Null(problem);
        Assert.Equal(new DeliveryPolicy([0, .. Enumerable.Repeat(86_400, 19)], 10_000), policy);
        Assert.Null(DeliveryPolicyRule.Apply(Json("""{"maxPerSecond":0.01}"""), null, out policy));
        Assert.Equal(new DeliveryPolicy(null, 0.01), policy);
    }

    [Fact]
    public void EmptyRetrySeconds_IsNoRetry_NotTheProtocolsSchedule()
    {
        Assert.Null(DeliveryPolicyRule.Apply(Json("""{"retrySeconds":[]}"""), null, out var policy));
        Assert.Equal(new DeliveryPolicy([], null), policy);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"retrySeconds":null,"maxPerSecond":null}""")]
    [InlineData("null")]
    public void NoMembers_OrNull_IsNoPolicy(string json)
    {
        Assert.Null(DeliveryPolicyRule.Apply(Json(json), null, out var policy));
        Assert.Null(policy);
    }

    [Fact]
    public void LeftOut_KeepsTheCurrentPolicy()
    {
        Assert.Null(DeliveryPolicyRule.Apply(null, Current, out var policy));
        Assert.Equal(Current, policy);
        Assert.Null(DeliveryPolicyRule.Apply(default(JsonElement), Current, out policy));
        Assert.Equal(Current, policy);
    }

    [Theory]
    [InlineData("""{"maxPerSecond":5}""", new[] { 5, 60 }, 5.0)]
    [InlineData("""{"retrySeconds":[1]}""", new[] { 1 }, 2.0)]
    [InlineData("""{"retrySeconds":null}""", null, 2.0)]
    public void Patch_MergesMemberByMember(string json, int[]? retry, double rate)
    {
        Assert.Null(DeliveryPolicyRule.Apply(Json(json), Current, out var policy));
        Assert.Equal(new DeliveryPolicy(retry, rate), policy);
    }

    [Fact]
    public void Patch_RemovingBothMembers_OrNull_LeavesNoPolicy()
    {
        Assert.Null(DeliveryPolicyRule.Apply(Json("""{"retrySeconds":null,"maxPerSecond":null}"""), Current, out var policy));
        Assert.Null(policy);
        Assert.Null(DeliveryPolicyRule.Apply(Json("null"), Current, out policy));
        Assert.Null(policy);
    }

    [Theory]
    [InlineData("""{"retrySeconds":[86401]}""", "deliveryPolicy.retrySeconds[0]", "0 to 86400")]
    [InlineData("""{"retrySeconds":[5,-1]}""", "deliveryPolicy.retrySeconds[1]", "0 to 86400")]
    [InlineData("""{"retrySeconds":[5,1.5]}""", "deliveryPolicy.retrySeconds[1]", "whole number")]
    [InlineData("""{"retrySeconds":["5"]}""", "deliveryPolicy.retrySeconds[0]", "whole number")]
    [InlineData("""{"retrySeconds":"5,60"}""", "deliveryPolicy.retrySeconds", "array")]
    [InlineData("""{"retrySeconds":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}""", "deliveryPolicy.retrySeconds", "at most 20")]
    [InlineData("""{"maxPerSecond":0}""", "deliveryPolicy.maxPerSecond", "from 0.01 to 10000")]
    [InlineData("""{"maxPerSecond":10000.5}""", "deliveryPolicy.maxPerSecond", "from 0.01 to 10000")]
    [InlineData("""{"maxPerSecond":"fast"}""", "deliveryPolicy.maxPerSecond", "from 0.01 to 10000")]
    [InlineData("""{"maxPerSec":5}""", "deliveryPolicy.maxPerSec", "retrySeconds and maxPerSecond")]
    [InlineData("""[5]""", "deliveryPolicy", "object")]
    public void Invalid_NamesTheFieldPathAndTheLimit(string json, string field, string limit)
    {
        var problem = DeliveryPolicyRule.Apply(Json(json), Current, out var policy);

        Assert.NotNull(problem);
        Assert.Equal(field, problem.Value.Field);
        Assert.Contains(field, problem.Value.Problem, StringComparison.Ordinal);
        Assert.Contains(limit, problem.Value.Problem, StringComparison.Ordinal);
        Assert.Equal(Current, policy);
    }

    private static JsonElement Json(string json) => JsonElement.Parse(json);
}
