using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Notify.Frontend.Json;

/// <summary>
/// A JSON merge patch (RFC 7396) read strictly, as <see cref="JsonBody{T}"/> reads bodies: sent as
/// <c>application/merge-patch+json</c> (its own media type) or <c>application/json</c>. <typeparamref name="T"/>
/// keeps each field as raw JSON, so the handler tells "left out" (unchanged) from <c>null</c> (removed).
/// </summary>
public sealed class MergePatchBody<T> : IBindableFromHttpContext<MergePatchBody<T>>, IEndpointParameterMetadataProvider
    where T : class
{
    public static readonly IReadOnlyList<string> ContentTypes = ["application/merge-patch+json", "application/json"];

    private MergePatchBody(T value) => Value = value;

    public T Value { get; }

    public static async ValueTask<MergePatchBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        new(await JsonBodyReader.ReadAsync<T>(context, ContentTypes));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new JsonBodyMetadata(typeof(T), ContentTypes));
}
