using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Notify.Frontend.Keys;

namespace Notify.Frontend.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the admin key, or a scoped key found by its hash
/// (<see cref="ApiKeyLookup"/>) and not expired, checked on every request. A missing, wrong, expired or deleted
/// key is answered 401 with a problem saying how to authenticate; nothing about the key is logged. The
/// principal's claims are <see cref="ApiKeyClaims"/>.
/// </summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AdminKey adminKey,
    ApiKeyLookup scopedKeys,
    TimeProvider clock,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        const string bearer = "Bearer ";
        var presented = header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? header.AsSpan(bearer.Length).Trim() : [];
        if (presented.IsEmpty)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (adminKey.Matches(presented))
        {
            return Success(ApiKeyClaims.Admin(adminKey.Id, SchemeName));
        }

        var key = await scopedKeys.FindAsync(KeySecrets.HashOf(presented), Context.RequestAborted);
        return key is null || key.IsExpiredAt(clock.GetUtcNow())
            ? AuthenticateResult.Fail("The API key is not valid.")
            : Success(ApiKeyClaims.Scoped(key, SchemeName));
    }

    private static AuthenticateResult Success(ClaimsIdentity identity) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.Authorization.Count > 0;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = presented
                    ? "The API key in the Authorization header is not valid (unknown, expired or deleted); send 'Authorization: Bearer <key>' with the admin key (Notify:Auth:AdminKey, or the one printed at first start) or a scoped key from POST /v1/keys."
                    : "This call needs an API key; send 'Authorization: Bearer <key>' with the admin key (Notify:Auth:AdminKey, or the one printed at first start) or a scoped key from POST /v1/keys.",
            },
        });
    }
}
