namespace Notify.Shared.Messages;

/// <summary>One attempt of a delivery, as its owner sees it.</summary>
/// <param name="Number">1 for the first attempt.</param>
/// <param name="At">When the attempt started.</param>
/// <param name="Outcome">
/// What it met, short and without secrets: <c>HTTP 500</c>, <c>timed out after 15s</c>, <c>smtp 550 5.1.1</c>,
/// <c>twilio 21211</c>; at most <see cref="DeliveryAttempt.MaxOutcomeLength"/> characters.
/// </param>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, string Outcome)
{
    /// <summary>Nothing an endpoint answered is kept beyond this many characters.</summary>
    public const int MaxOutcomeLength = 256;

    public static DeliveryAttempt Of(int number, DateTimeOffset at, string outcome) =>
        new(number, at, outcome.Length <= MaxOutcomeLength ? outcome : outcome[..MaxOutcomeLength]);
}
