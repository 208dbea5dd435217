using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Notify.Tests.Frontend.RateLimiting;

/// <summary>
/// Signs in the principal a request describes in test headers, in the shape the Frontend's key
/// authentication gives it: <c>X-Test-Key</c> the key id (the Name claim), <c>X-Test-Role</c> its role,
/// <c>X-Test-Claim: type=value</c> (repeated, or comma-separated) any further claims (a key's own limits). No header, no principal.
/// </summary>
internal sealed class ClaimsHeaderAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestClaims";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers["X-Test-Key"].ToString() is not { Length: > 0 } keyId)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, keyId) };
        if (Request.Headers["X-Test-Role"].ToString() is { Length: > 0 } role)
        {
            claims.Add(new Claim(ClaimTypes.Role, role));
        }

        // HttpClient sends repeated headers as one comma-separated line.
        foreach (var claim in Request.Headers["X-Test-Claim"].SelectMany(line => line!.Split(',', StringSplitOptions.TrimEntries)))
        {
            var split = claim.IndexOf('=');
            claims.Add(new Claim(claim[..split], claim[(split + 1)..]));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
