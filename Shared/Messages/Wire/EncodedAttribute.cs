namespace Notify.Shared.Messages.Wire;

/// <summary>One message attribute in an <see cref="EncodedNotification"/>: name and value as UTF-8.</summary>
internal sealed record EncodedAttribute(byte[] Name, byte[] Value);
