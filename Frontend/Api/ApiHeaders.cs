namespace Notify.Frontend.Api;

/// <summary>Request headers of the API beyond HTTP's own.</summary>
internal static class ApiHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
}
