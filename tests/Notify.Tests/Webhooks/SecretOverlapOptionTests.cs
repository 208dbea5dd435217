using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notify.Shared.Webhooks;

namespace Notify.Tests.Webhooks;

/// <summary><c>Notify:Webhooks:SecretOverlap</c>, bound and validated as the Frontend binds it.</summary>
public sealed class SecretOverlapOptionTests
{
    [Fact]
    public void SecretOverlap_IsADayUnlessSet() =>
        Assert.Equal(TimeSpan.FromHours(24), Bind(null).SecretOverlap);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("7.00:00:00")]
    public void SecretOverlap_FromZeroToThirtyDays_IsTaken(string value) =>
        Assert.Equal(TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture), Bind(value).SecretOverlap);

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("31.00:00:00")]
    public void SecretOverlap_OutOfRange_IsRefusedWithItsName(string value)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(value));

        Assert.Contains(nameof(WebhookOptions.SecretOverlap), error.Message, StringComparison.Ordinal);
    }

    private static WebhookOptions Bind(string? overlap)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        if (overlap is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Notify:Webhooks:SecretOverlap"] = overlap });
        }

        builder.Services.AddNotifyWebhookOptions();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
    }
}
