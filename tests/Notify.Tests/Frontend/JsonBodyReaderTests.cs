using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Notify.Frontend.Api.Contracts;
using Notify.Frontend.Errors;
using Notify.Frontend.Json;

namespace Notify.Tests.Frontend;

/// <summary>Request bodies are read strictly, and every refusal speaks JSON paths and API types.</summary>
public sealed class JsonBodyReaderTests
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    [Fact]
    public void ValidBody_IsRead()
    {
        var request = Read<PublishRequest>("""{"message":"hi","subject":"s","attributes":{"a":"b"},"dedupId":"d-1"}""");

        Assert.Equal(("hi", "s", "d-1"), (request.Message, request.Subject, request.DedupId));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "b" }, request.Attributes);
    }

    [Theory]
    [InlineData("""{"message":"hi","subjct":"x"}""", "subjct", "Unknown field 'subjct'. Did you mean 'subject'?")]
    [InlineData("""{"Message":"hi"}""", "Message", "Did you mean 'message'? Field names are case-sensitive.")]
    [InlineData("""{"message":"hi","message":"again"}""", "message", "'message' appears more than once")]
    [InlineData("""{"message":"hi","attributes":{"a":"1","a":"2"}}""", "attributes.a", "The key 'a' appears more than once in 'attributes'")]
    [InlineData("""{"message":5}""", "message", "'message' must be a string, not the number 5")]
    [InlineData("""{"message":"hi","attributes":{"a":true}}""", "attributes.a", "'attributes.a' must be a string, not true")]
    [InlineData("""{"message":"hi","attributes":["a"]}""", "attributes", "'attributes' must be an object whose values are strings, not an array")]
    [InlineData("""{"message":"\ud800"}""", "message", "lone surrogate")]
    [InlineData("""{"message":"hi","weird key":1}""", "['weird key']", "Unknown field 'weird key'")]
    public void Refusal_NamesThePathAndWhatToSend(string body, string field, string message)
    {
        var errors = Refuse<PublishRequest>(body);

        Assert.Contains(message, string.Join(" | ", errors[field]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "The request body is empty")]
    [InlineData("  \n ", "The request body is empty")]
    [InlineData("null", "must be a JSON object, not null")]
    [InlineData("[1,2]", "must be a JSON object, not an array")]
    [InlineData("\"text\"", "must be a JSON object, not a string")]
    [InlineData("{\"name\":\"a\"", "not valid JSON at line 1")]
    [InlineData("{\"name\":\"a\"} x", "not valid JSON")]
    [InlineData("{\"name\":\"a\",}", "not valid JSON")]
    public void MalformedBody_IsRefusedAsAWhole(string body, string message)
    {
        var errors = Refuse<CreateTopicRequest>(body);

        Assert.Contains(message, string.Join(" | ", errors["body"]), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredField_IsNamed()
    {
        var errors = Refuse<SubscribeRequest>("""{"protocol":"email"}""");

        Assert.Equal(["'endpoint' is required."], errors["endpoint"]);
    }

    [Fact]
    public void UnknownEnumValue_ListsTheValues()
    {
        var errors = Refuse<SubscribeRequest>("""{"protocol":"Email","endpoint":"a@example.com"}""");

        Assert.Equal(["'protocol' must be one of \"webhook\", \"email\", \"sms\", not a string."], errors["protocol"]);
    }

    [Fact]
    public void NoRefusal_NamesADotNetType()
    {
        string[] bodies = ["""{"name":5}""", """{"name":null}""", """{"name":[]}""", """{"name":"a","x":{}}""", "[]", "{"];
        foreach (var body in bodies)
        {
            var text = string.Join(" ", Refuse<CreateTopicRequest>(body).SelectMany(e => e.Value.Append(e.Key)));
            Assert.DoesNotMatch(@"\b(System|Notify)\.|Nullable|String\b|Int32|CreateTopicRequest", text);
        }
    }

    [Fact]
    public void Utf8ByteOrderMark_IsSkipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"name":"orders"}""")).ToArray();

        Assert.Equal("orders", JsonBodyReader.Deserialize(new ReadOnlySequence<byte>(bytes), TypeInfo<CreateTopicRequest>()).Name);
    }

    [Fact]
    public void BodyInSeveralSegments_IsRead()
    {
        var text = Encoding.UTF8.GetBytes("""{"message":"split across segments","subject":"s"}""");
        var first = new Segment(text.AsMemory(0, 7));
        var last = first.Append(text.AsMemory(7));

        var request = JsonBodyReader.Deserialize(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), TypeInfo<PublishRequest>());

        Assert.Equal("split across segments", request.Message);
    }

    private static T Read<T>(string body) where T : class =>
        JsonBodyReader.Deserialize(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), TypeInfo<T>());

    private static Dictionary<string, string[]> Refuse<T>(string body) where T : class =>
        Assert.Throws<InvalidRequestException>(() => Read<T>(body)).Errors.ToDictionary();

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiJsonOptions.Apply(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
