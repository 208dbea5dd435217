using System.Text.Json;

namespace Notify.Shared.Messages;

/// <summary>
/// A queue message body that parsed as JSON but is not an envelope. Its message names the field at
/// fault and never quotes the body, so it may be logged.
/// </summary>
public sealed class EnvelopeFormatException(string message) : JsonException(message);
