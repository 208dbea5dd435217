using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Notify.Frontend.Sms;

/// <summary>
/// The fields of Twilio's inbound-message form that Notify reads, for the OpenAPI document. Twilio sends
/// more (all of them are signed); the handler reads the form itself, because the signature covers every field.
/// </summary>
internal sealed record InboundSmsForm(
    [property: JsonPropertyName("From")] [property: Description("The sender's number, E.164.")] string? From,
    [property: JsonPropertyName("Body")] [property: Description("The text: STOP, START and their kin change the number's opt-out.")] string? Body,
    [property: JsonPropertyName("MessageSid")] [property: Description("Twilio's id of the inbound message.")] string? MessageSid);
