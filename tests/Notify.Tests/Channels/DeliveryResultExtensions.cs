using Notify.Sender.Channels;

namespace Notify.Tests.Channels;

internal static class DeliveryResultExtensions
{
    /// <summary>The outcome without its attempt log, to compare with <see cref="DeliveryResult.Success"/> or <see cref="DeliveryResult.GaveUp"/>.</summary>
    public static DeliveryResult WithoutHistory(this DeliveryResult result) => result with { History = [] };
}
