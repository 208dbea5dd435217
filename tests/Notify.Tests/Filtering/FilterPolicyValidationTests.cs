using System.Text;
using Notify.Shared.Filtering;

namespace Notify.Tests.Filtering;

/// <summary>What a policy may hold: SNS's limits, and a sentence naming the place of every refusal.</summary>
public sealed class FilterPolicyValidationTests
{
    public static TheoryData<string, string> Refused => new()
    {
        // The document.
        { "", "filterPolicy: not valid JSON at line 1, byte 1, or nested deeper than a policy can be." },
        { """{"region": ["eu"]""", "filterPolicy: not valid JSON at line 1, byte 18, or nested deeper than a policy can be." },
        { """{"a": [{"anything-but": {"prefix": [[[[["x"]]]]]}}]}""", "filterPolicy: not valid JSON at line 1, byte 40, or nested deeper than a policy can be." },
        { """["eu"]""", """filterPolicy: a filter policy is a JSON object of attribute names, each with an array of conditions, such as {"region": ["eu"]}.""" },
        { "\"eu\"", """filterPolicy: a filter policy is a JSON object of attribute names, each with an array of conditions, such as {"region": ["eu"]}.""" },
        { "{}", "filterPolicy: a filter policy names at least one attribute; to receive every message, set no policy." },
        { """{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]}""", "filterPolicy: a filter policy names at most 5 attributes; this one names 6." },
        { """{"region": ["eu"], "region": ["us"]}""", "filterPolicy.region: the attribute appears twice; list all its conditions in one array." },

        // An attribute's array.
        { """{"customer": {"interests": ["rugby"]}}""", "filterPolicy.customer: nested policies filter on the message body, which Notify does not do; give the attribute an array of conditions." },
        { """{"region": "eu"}""", """filterPolicy.region: an attribute's conditions are an array, such as ["eu"].""" },
        { """{"region": 5}""", """filterPolicy.region: an attribute's conditions are an array, such as ["eu"].""" },
        { """{"region": []}""", "filterPolicy.region: the array needs at least one condition." },
        { """{"a.b": []}""", """filterPolicy["a.b"]: the array needs at least one condition.""" },
        { """{"": []}""", """filterPolicy[""]: the array needs at least one condition.""" },

        // A condition.
        { """{"region": ["eu", true]}""", """filterPolicy.region[1]: a condition is a string, a number or an object such as {"prefix": "eu-"}.""" },
        { """{"region": [null]}""", """filterPolicy.region[0]: a condition is a string, a number or an object such as {"prefix": "eu-"}.""" },
        { """{"region": [["eu"]]}""", """filterPolicy.region[0]: a condition is a string, a number or an object such as {"prefix": "eu-"}.""" },
        { """{"region": [{}]}""", """filterPolicy.region[0]: a condition object holds exactly one operator, such as {"prefix": "eu-"}.""" },
        { """{"region": [{"prefix": "eu", "suffix": "1"}]}""", """filterPolicy.region[0]: a condition object holds exactly one operator, such as {"prefix": "eu-"}.""" },
        { """{"region": [{"regex": "eu.*"}]}""", """filterPolicy.region[0]: "regex" is not an operator; use prefix, suffix, equals-ignore-case, anything-but, exists or numeric.""" },
        { """{"region": ["eu", {"prefix": 1}]}""", """filterPolicy.region[1]: "prefix" needs a string.""" },
        { """{"region": [{"prefix": ""}]}""", """filterPolicy.region[0]: "prefix" needs a non-empty string.""" },
        { """{"file": [{"suffix": null}]}""", """filterPolicy.file[0]: "suffix" needs a string.""" },
        { """{"file": [{"suffix": ""}]}""", """filterPolicy.file[0]: "suffix" needs a non-empty string.""" },
        { """{"level": [{"equals-ignore-case": ["error"]}]}""", """filterPolicy.level[0]: "equals-ignore-case" needs a string.""" },
        { """{"store": [{"exists": "true"}]}""", """filterPolicy.store[0]: "exists" needs true or false.""" },
        { """{"price": [1000000000.5]}""", "filterPolicy.price[0]: numbers must lie between -1,000,000,000 and 1,000,000,000." },
        { """{"price": [1e400]}""", "filterPolicy.price[0]: numbers must lie between -1,000,000,000 and 1,000,000,000." },

        // anything-but.
        { """{"size": [{"anything-but": true}]}""", """filterPolicy.size[0]: "anything-but" needs a string, a number, an array of them, or {"prefix": "..."}.""" },
        { """{"size": [{"anything-but": []}]}""", """filterPolicy.size[0].anything-but: "anything-but" needs at least one value to exclude.""" },
        { """{"size": [{"anything-but": ["s", {"prefix": "m"}]}]}""", "filterPolicy.size[0].anything-but[1]: a value to exclude is a string or a number." },
        { """{"size": [{"anything-but": [-2e9]}]}""", "filterPolicy.size[0].anything-but[0]: numbers must lie between -1,000,000,000 and 1,000,000,000." },
        { """{"size": [{"anything-but": 2e9}]}""", "filterPolicy.size[0].anything-but: numbers must lie between -1,000,000,000 and 1,000,000,000." },
        { """{"size": [{"anything-but": {"suffix": "s"}}]}""", """filterPolicy.size[0].anything-but: only {"prefix": "..."} may stand inside "anything-but".""" },
        { """{"size": [{"anything-but": {"prefix": "s", "suffix": "m"}}]}""", """filterPolicy.size[0].anything-but: only {"prefix": "..."} may stand inside "anything-but".""" },
        { """{"size": [{"anything-but": {"prefix": 5}}]}""", """filterPolicy.size[0].anything-but: "prefix" needs a string.""" },

        // numeric.
        { """{"price": [{"numeric": 5}]}""", """filterPolicy.price[0]: "numeric" needs an array such as ["=", 5], [">", 0] or [">", 0, "<=", 100].""" },
        { """{"price": [{"numeric": [">"]}]}""", """filterPolicy.price[0]: "numeric" needs an array such as ["=", 5], [">", 0] or [">", 0, "<=", 100].""" },
        { """{"price": [{"numeric": [">", 0, "<"]}]}""", """filterPolicy.price[0]: "numeric" needs an array such as ["=", 5], [">", 0] or [">", 0, "<=", 100].""" },
        { """{"price": [{"numeric": ["!=", 5]}]}""", """filterPolicy.price[0].numeric[0]: "!=" is not a comparison; use =, <, <=, > or >=.""" },
        { """{"price": [{"numeric": [5, ">"]}]}""", "filterPolicy.price[0].numeric[0]: 5 is not a comparison; use =, <, <=, > or >=." },
        { """{"price": [{"numeric": [">", "5"]}]}""", """filterPolicy.price[0].numeric[1]: needs a number after ">".""" },
        { """{"price": [{"numeric": [">", 0, "<", "9"]}]}""", """filterPolicy.price[0].numeric[3]: needs a number after "<".""" },
        { """{"price": [{"numeric": ["<", 1e10]}]}""", "filterPolicy.price[0].numeric[1]: numbers must lie between -1,000,000,000 and 1,000,000,000." },
        { """{"price": [{"numeric": ["=", 5, "<", 9]}]}""", """filterPolicy.price[0]: "=" stands alone, as in ["=", 5]; a range uses <, <=, > and >=.""" },
        { """{"price": [{"numeric": ["<", 9, ">", 0]}]}""", "filterPolicy.price[0]: a range is a lower bound (> or >=) followed by an upper bound (< or <=)." },
        { """{"price": [{"numeric": [">", 0, ">", 9]}]}""", "filterPolicy.price[0]: a range is a lower bound (> or >=) followed by an upper bound (< or <=)." },
        { """{"price": [{"numeric": [">", 0, "=", 9]}]}""", "filterPolicy.price[0]: a range is a lower bound (> or >=) followed by an upper bound (< or <=)." },
        { """{"price": [{"numeric": [">", 9, "<", 0]}]}""", "filterPolicy.price[0]: the range holds no number: its lower bound is not below its upper bound." },
        { """{"price": [{"numeric": [">", 5, "<=", 5]}]}""", "filterPolicy.price[0]: the range holds no number: its lower bound is not below its upper bound." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void InvalidPolicy_IsRefusedWithOneSentenceNamingThePlace(string json, string expected)
    {
        Assert.False(FilterPolicy.TryParse(json, out var policy, out var error));

        Assert.Null(policy);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void FiveKeys_AreAllowed()
    {
        Assert.True(FilterPolicy.TryParse("""{"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"]}""", out _, out var error), error);
    }

    [Fact]
    public void Combinations_UpTo150_AreAllowed_AndOneMoreArrayValueIsNot()
    {
        // 5 × 5 × 6 = 150; one more value in the last array makes 5 × 5 × 7 = 175.
        var allowed = Policy(5, 5, 6);
        var refused = Policy(5, 5, 7);

        Assert.True(FilterPolicy.TryParse(allowed, out _, out var error), error);
        Assert.False(FilterPolicy.TryParse(refused, out _, out error));
        Assert.Equal("filterPolicy: the policy has 175 combinations (its arrays' lengths multiplied); the limit is 150.", error);
    }

    [Fact]
    public void PolicyOf16KiB_IsAllowed_AndOneByteMoreIsNot()
    {
        var head = """{"a": [""";
        var tail = "]}";
        var fill = 16 * 1024 - Encoding.UTF8.GetByteCount(head + tail) - 2;
        var atLimit = head + "\"" + new string('x', fill) + "\"" + tail;
        var overLimit = head + "\"" + new string('x', fill - 1) + "é\"" + tail;

        Assert.Equal(16 * 1024, Encoding.UTF8.GetByteCount(atLimit));
        Assert.True(FilterPolicy.TryParse(atLimit, out _, out var error), error);
        Assert.False(FilterPolicy.TryParse(overLimit, out _, out error));
        Assert.Equal("filterPolicy: the policy takes 16,385 bytes of UTF-8; the limit is 16,384 (16 KiB).", error);
    }

    [Fact]
    public void Null_IsRefused()
    {
        Assert.False(FilterPolicy.TryParse(null!, out _, out var error));
        Assert.Equal("filterPolicy: a filter policy is a JSON object.", error);
    }

    [Fact]
    public void Json_IsCompact_InTheGivenOrder_WithReadableText()
    {
        var policy = FilterPolicyMatchingTests.Policy("""
            {
              "région": [ "é", {"prefix" : "eu-"} ],
              "price":  [ {"numeric": [">", 0, "<=", 1.50]}, 2e1 ],
              "quote":  [ "say \"hi\"", "a\u0001b" ]
            }
            """);

        Assert.Equal("""{"région":["é",{"prefix":"eu-"}],"price":[{"numeric":[">",0,"<=",1.50]},2e1],"quote":["say \"hi\"","a\u0001b"]}""", policy.Json);
    }

    [Fact]
    public void Json_ParsesToAnEqualPolicy()
    {
        var policy = FilterPolicyMatchingTests.Policy("""{"a": [{"anything-but": {"prefix": "x"}}, {"exists": false}], "b": [1, "two"]}""");

        var again = FilterPolicyMatchingTests.Policy(policy.Json);

        Assert.Equal(policy.Json, again.Json);
    }

    private static string Policy(params int[] lengths) =>
        "{" + string.Join(", ", lengths.Select((length, key) => $"\"k{key}\": [{string.Join(", ", Enumerable.Range(0, length).Select(v => $"\"v{v}\""))}]")) + "}";
}
