using Microsoft.AspNetCore.Http.Metadata;

namespace Notify.Frontend.Json;

/// <summary>What the OpenAPI generator reads to describe a request body read by <see cref="JsonBodyReader"/>.</summary>
internal sealed class JsonBodyMetadata(Type requestType, IReadOnlyList<string> contentTypes) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;

    public Type? RequestType { get; } = requestType;

    public bool IsOptional => false;
}
