using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Notify.Frontend.Json;

/// <summary>
/// A request body read strictly as JSON (<see cref="JsonBodyReader"/>): a handler parameter of this type
/// gets a <typeparamref name="T"/> or the request is answered with a problem naming what to fix. Also tells
/// the OpenAPI document that the operation takes a <typeparamref name="T"/> as <c>application/json</c>.
/// </summary>
public sealed class JsonBody<T> : IBindableFromHttpContext<JsonBody<T>>, IEndpointParameterMetadataProvider
    where T : class
{
    private JsonBody(T value) => Value = value;

    public T Value { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        new(await JsonBodyReader.ReadAsync<T>(context, JsonBodyReader.JsonContentTypes));

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new JsonBodyMetadata(typeof(T), JsonBodyReader.JsonContentTypes));
}
