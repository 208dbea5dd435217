using Notify.Shared.Filtering;

namespace Notify.Tests.Filtering;

/// <summary>Which messages a valid policy selects, operator by operator, as SNS's attribute filtering.</summary>
public sealed class FilterPolicyMatchingTests
{
    [Theory]
    [InlineData("""{"region": ["eu"]}""", "eu", true)]
    [InlineData("""{"region": ["eu"]}""", "EU", false)]
    [InlineData("""{"region": ["eu"]}""", "eu-west", false)]
    [InlineData("""{"region": ["eu"]}""", "", false)]
    [InlineData("""{"region": [""]}""", "", true)]
    [InlineData("""{"region": ["eu", "us"]}""", "us", true)]
    [InlineData("""{"region": ["eu", "us"]}""", "ap", false)]
    [InlineData("""{"region": ["é中😀"]}""", "é中😀", true)]
    public void ExactString_MatchesOnlyTheSameString_CaseSensitive(string json, string value, bool matches) =>
        AssertMatch(json, value, matches);

    [Theory]
    [InlineData("""{"region": [{"prefix": "eu-"}]}""", "eu-west-1", true)]
    [InlineData("""{"region": [{"prefix": "eu-"}]}""", "eu-", true)]
    [InlineData("""{"region": [{"prefix": "eu-"}]}""", "EU-west-1", false)]
    [InlineData("""{"region": [{"prefix": "eu-"}]}""", "us-eu-1", false)]
    [InlineData("""{"region": [{"prefix": "eu-"}]}""", "eu", false)]
    public void Prefix_MatchesValuesStartingWithIt(string json, string value, bool matches) => AssertMatch(json, value, matches);

    [Theory]
    [InlineData("""{"file": [{"suffix": ".png"}]}""", "cat.png", true)]
    [InlineData("""{"file": [{"suffix": ".png"}]}""", ".png", true)]
    [InlineData("""{"file": [{"suffix": ".png"}]}""", "cat.PNG", false)]
    [InlineData("""{"file": [{"suffix": ".png"}]}""", "cat.png.gz", false)]
    public void Suffix_MatchesValuesEndingWithIt(string json, string value, bool matches) => AssertMatch(json, value, matches);

    [Theory]
    [InlineData("""{"level": [{"equals-ignore-case": "Error"}]}""", "ERROR", true)]
    [InlineData("""{"level": [{"equals-ignore-case": "Error"}]}""", "error", true)]
    [InlineData("""{"level": [{"equals-ignore-case": "Error"}]}""", "errors", false)]
    [InlineData("""{"city": [{"equals-ignore-case": "ÉCOLE"}]}""", "école", true)]
    public void EqualsIgnoreCase_MatchesInAnyLetterCase(string json, string value, bool matches) => AssertMatch(json, value, matches);

    [Theory]
    [InlineData("""{"size": [{"anything-but": ["small", "medium"]}]}""", "large", true)]
    [InlineData("""{"size": [{"anything-but": ["small", "medium"]}]}""", "small", false)]
    [InlineData("""{"size": [{"anything-but": ["small", "medium"]}]}""", "medium", false)]
    [InlineData("""{"size": [{"anything-but": ["small", "medium"]}]}""", "Small", true)]
    [InlineData("""{"size": [{"anything-but": "small"}]}""", "large", true)]
    [InlineData("""{"size": [{"anything-but": "small"}]}""", "small", false)]
    [InlineData("""{"event": [{"anything-but": {"prefix": "test-"}}]}""", "order-placed", true)]
    [InlineData("""{"event": [{"anything-but": {"prefix": "test-"}}]}""", "test-order", false)]
    [InlineData("""{"price": [{"anything-but": [100, 500]}]}""", "101", true)]
    [InlineData("""{"price": [{"anything-but": [100, 500]}]}""", "100.0", false)]
    [InlineData("""{"price": [{"anything-but": [100, 500]}]}""", "5e2", false)]
    [InlineData("""{"price": [{"anything-but": 100}]}""", "100", false)]
    [InlineData("""{"price": [{"anything-but": ["free", 0]}]}""", "free", false)]
    [InlineData("""{"price": [{"anything-but": ["free", 0]}]}""", "0.00", false)]
    [InlineData("""{"price": [{"anything-but": ["free", 0]}]}""", "cheap", true)]
    public void AnythingBut_MatchesValuesThatAreNoneOfItsValues(string json, string value, bool matches) => AssertMatch(json, value, matches);

    [Theory]
    [InlineData("""{"size": [{"anything-but": ["small"]}]}""")]
    [InlineData("""{"size": [{"anything-but": "small"}]}""")]
    [InlineData("""{"size": [{"anything-but": {"prefix": "s"}}]}""")]
    [InlineData("""{"size": [{"anything-but": [1]}]}""")]
    public void AnythingBut_DoesNotMatchAMissingAttribute(string json) =>
        Assert.False(Policy(json).Matches(Attributes(("other", "x"))));

    [Fact]
    public void AnythingBut_OrExistsFalse_MatchesAMissingAttributeToo()
    {
        var policy = Policy("""{"size": [{"anything-but": ["small"]}, {"exists": false}]}""");

        Assert.True(policy.Matches(Attributes(("other", "x"))));
        Assert.True(policy.Matches(Attributes(("size", "large"))));
        Assert.False(policy.Matches(Attributes(("size", "small"))));
    }

    [Fact]
    public void ExistsTrue_MatchesAnyValue_ButNotAMissingAttribute()
    {
        var policy = Policy("""{"store": [{"exists": true}]}""");

        Assert.True(policy.Matches(Attributes(("store", "fans"))));
        Assert.True(policy.Matches(Attributes(("store", ""))));
        Assert.False(policy.Matches(Attributes(("other", "fans"))));
    }

    [Fact]
    public void ExistsFalse_MatchesOnlyAMissingAttribute()
    {
        var policy = Policy("""{"store": [{"exists": false}]}""");

        Assert.True(policy.Matches(Attributes(("other", "x"))));
        Assert.False(policy.Matches(Attributes(("store", "fans"))));
        Assert.False(policy.Matches(Attributes(("store", ""))));
    }

    /// <summary>As SNS: a message without attributes matches no policy, not even one of exists false.</summary>
    [Theory]
    [InlineData("""{"store": [{"exists": false}]}""")]
    [InlineData("""{"store": [{"anything-but": "x"}]}""")]
    [InlineData("""{"store": ["x"]}""")]
    public void MessageWithoutAttributes_MatchesNoPolicy(string json)
    {
        var policy = Policy(json);

        Assert.False(policy.Matches(null));
        Assert.False(policy.Matches(new Dictionary<string, string>()));
    }

    [Theory]
    [InlineData("""{"price": [{"numeric": ["=", 301.5]}]}""", "301.5", true)]
    [InlineData("""{"price": [{"numeric": ["=", 301.5]}]}""", "3.015e2", true)]
    [InlineData("""{"price": [{"numeric": ["=", 301.5]}]}""", "301.50000", true)]
    [InlineData("""{"price": [{"numeric": ["=", 301.5]}]}""", "301.51", false)]
    [InlineData("""{"price": [{"numeric": ["<", 0]}]}""", "-0.5", true)]
    [InlineData("""{"price": [{"numeric": ["<", 0]}]}""", "0", false)]
    [InlineData("""{"price": [{"numeric": ["<=", 0]}]}""", "0", true)]
    [InlineData("""{"price": [{"numeric": [">", 0]}]}""", "0", false)]
    [InlineData("""{"price": [{"numeric": [">", 0]}]}""", "0.00001", true)]
    [InlineData("""{"price": [{"numeric": [">=", 0]}]}""", "0", true)]
    [InlineData("""{"price": [{"numeric": [">", 0, "<=", 150]}]}""", "150", true)]
    [InlineData("""{"price": [{"numeric": [">", 0, "<=", 150]}]}""", "150.00001", false)]
    [InlineData("""{"price": [{"numeric": [">", 0, "<=", 150]}]}""", "0", false)]
    [InlineData("""{"price": [{"numeric": [">", 0, "<=", 150]}]}""", "75", true)]
    [InlineData("""{"price": [{"numeric": [">=", 10, "<", 20]}]}""", "10", true)]
    [InlineData("""{"price": [{"numeric": [">=", 10, "<", 20]}]}""", "20", false)]
    [InlineData("""{"price": [{"numeric": [">=", 5, "<=", 5]}]}""", "5", true)]
    [InlineData("""{"price": [{"numeric": [">", -1e9]}]}""", "-999999999.99999", true)]
    [InlineData("""{"price": [{"numeric": [">", 0]}]}""", "1e12", true)]
    public void Numeric_ComparesTheValueAsANumber(string json, string value, bool matches) => AssertMatch(json, value, matches);

    /// <summary>The value is read in the invariant culture, as JSON writes numbers; anything else is not a number.</summary>
    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1,5")]
    [InlineData("1 000")]
    [InlineData(" 5")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e400")]
    public void Numeric_DoesNotMatchAValueThatIsNotANumber(string value)
    {
        Assert.False(Policy("""{"n": [{"numeric": [">", -1000000000]}]}""").Matches(Attributes(("n", value))));
        Assert.False(Policy("""{"n": [0, 1, 5, 1000]}""").Matches(Attributes(("n", value))));
    }

    /// <summary>SNS's accuracy: five decimal places.</summary>
    [Theory]
    [InlineData("1.000004", true)]
    [InlineData("0.999995", true)]
    [InlineData("1.00001", false)]
    public void Numeric_IsAccurateToFiveDecimalPlaces(string value, bool matches) =>
        AssertMatch("""{"n": [{"numeric": ["=", 1]}]}""", value, matches);

    [Theory]
    [InlineData("""{"price": [100]}""", "100", true)]
    [InlineData("""{"price": [100]}""", "100.000", true)]
    [InlineData("""{"price": [100]}""", "1e2", true)]
    [InlineData("""{"price": [100]}""", "+100", true)]
    [InlineData("""{"price": [100]}""", "101", false)]
    [InlineData("""{"price": [0.1]}""", ".1", true)]
    [InlineData("""{"price": [-2.5, 7]}""", "-2.5", true)]
    [InlineData("""{"price": [-2.5, 7]}""", "7", true)]
    [InlineData("""{"price": ["100"]}""", "100.0", false)]
    public void PlainNumber_MatchesNumerically_AndAPlainStringDoesNot(string json, string value, bool matches) =>
        AssertMatch(json, value, matches);

    [Fact]
    public void Keys_AreAnded_AndConditionsOfOneKeyAreOred()
    {
        var policy = Policy("""
            {
              "region": ["eu", {"prefix": "us-"}],
              "price": [{"numeric": [">", 100]}],
              "store": [{"exists": true}]
            }
            """);

        Assert.True(policy.Matches(Attributes(("region", "eu"), ("price", "150"), ("store", "s1"))));
        Assert.True(policy.Matches(Attributes(("region", "us-east"), ("price", "101"), ("store", "s1"), ("ignored", "x"))));
        Assert.False(policy.Matches(Attributes(("region", "ap"), ("price", "150"), ("store", "s1"))));
        Assert.False(policy.Matches(Attributes(("region", "eu"), ("price", "100"), ("store", "s1"))));
        Assert.False(policy.Matches(Attributes(("region", "eu"), ("price", "150"))));
    }

    [Fact]
    public void AttributeNames_AreCaseSensitive()
    {
        var policy = Policy("""{"Region": ["eu"]}""");

        Assert.True(policy.Matches(Attributes(("Region", "eu"))));
        Assert.False(policy.Matches(Attributes(("region", "eu"))));
    }

    [Fact]
    public void MissingAttribute_MatchesNoConditionButExistsFalse()
    {
        var others = Attributes(("other", "x"));

        foreach (var condition in new[] { "\"\"", "0", """{"prefix": "a"}""", """{"suffix": "a"}""", """{"equals-ignore-case": ""}""", """{"numeric": [">", 0]}""", """{"exists": true}""" })
        {
            Assert.False(Policy($$"""{"a": [{{condition}}]}""").Matches(others), condition);
        }

        Assert.True(Policy("""{"a": [{"exists": false}]}""").Matches(others));
    }

    private static void AssertMatch(string json, string value, bool matches) =>
        Assert.True(Policy(json).Matches(Attributes((JsonKey(json), value))) == matches, $"{json} with \"{value}\" should {(matches ? "" : "not ")}match");

    // The policies above name one attribute; read its name back from the policy.
    private static string JsonKey(string json) => System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().First().Name;

    internal static FilterPolicy Policy(string json)
    {
        Assert.True(FilterPolicy.TryParse(json, out var policy, out var error), error);
        return policy;
    }

    private static Dictionary<string, string> Attributes(params (string Name, string Value)[] attributes) =>
        attributes.ToDictionary(a => a.Name, a => a.Value);
}
