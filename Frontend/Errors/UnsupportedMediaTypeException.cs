namespace Notify.Frontend.Errors;

/// <summary>A body in a format the call does not take: answered 415 with the content types it does.</summary>
internal sealed class UnsupportedMediaTypeException(string detail) : Exception(detail);
