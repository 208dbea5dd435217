using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Notify.Frontend.Errors;

namespace Notify.Frontend.Json;

/// <summary>
/// Reads a whole request body and deserializes it with the API's strict settings (<see cref="ApiJsonOptions"/>).
/// The body is read into the pipe's own buffers once and parsed from there, so when System.Text.Json refuses
/// it the same bytes can be walked again by <see cref="JsonBodyDiagnosis"/> to say what is wrong in API terms
/// (the serializer's own messages name .NET types). The size limit is Kestrel's (per endpoint), which
/// answers 413 while the body is read.
/// </summary>
internal static class JsonBodyReader
{
    public static readonly IReadOnlyList<string> JsonContentTypes = ["application/json"];

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <exception cref="UnsupportedMediaTypeException">The content type is not one of <paramref name="contentTypes"/>.</exception>
    /// <exception cref="InvalidRequestException">The body is empty, not JSON, or not a <typeparamref name="T"/>.</exception>
    public static async ValueTask<T> ReadAsync<T>(HttpContext context, IReadOnlyList<string> contentTypes)
        where T : class
    {
        CheckContentType(context.Request, contentTypes);
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

        var pipe = context.Request.BodyReader;
        var body = await ReadToEndAsync(pipe, context.RequestAborted);
        try
        {
            return Deserialize(body, typeInfo);
        }
        finally
        {
            pipe.AdvanceTo(body.End);
        }
    }

    internal static T Deserialize<T>(ReadOnlySequence<byte> body, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (body.FirstSpan.StartsWith(Utf8Bom))
        {
            body = body.Slice(Utf8Bom.Length);
        }

        if (IsBlank(body))
        {
            throw InvalidRequestException.For(JsonBodyDiagnosis.BodyField, "The request body is empty; send a JSON object (Content-Type: application/json).");
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            var value = JsonSerializer.Deserialize(ref reader, typeInfo);

            // Deserialize stops after the first value: anything but whitespace after it is not one JSON document.
            if (reader.Read())
            {
                throw new JsonException($"There is more after the JSON object, starting at byte {reader.TokenStartIndex + 1}.");
            }

            return value ?? throw InvalidRequestException.For(JsonBodyDiagnosis.BodyField, "The request body must be a JSON object, not null.");
        }
        catch (JsonException exception)
        {
            throw new InvalidRequestException(JsonBodyDiagnosis.Explain(body, typeInfo, exception));
        }
    }

    private static async ValueTask<ReadOnlySequence<byte>> ReadToEndAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.IsCanceled)
            {
                return result.Buffer;
            }

            // Nothing consumed, everything examined: the next read returns the whole body so far and more.
            pipe.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static void CheckContentType(HttpRequest request, IReadOnlyList<string> contentTypes)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && contentTypes.Any(accepted => mediaType.MediaType.Equals(accepted, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var expected = string.Join(" or ", contentTypes);
        throw new UnsupportedMediaTypeException(string.IsNullOrEmpty(request.ContentType)
            ? $"Send the request body as JSON with the header Content-Type: {expected}."
            : $"The body was sent as {request.ContentType}; send it as JSON with the header Content-Type: {expected}.");
    }

    private static bool IsBlank(ReadOnlySequence<byte> body)
    {
        foreach (var segment in body)
        {
            if (segment.Span.IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
