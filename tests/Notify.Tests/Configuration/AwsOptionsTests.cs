using System.ComponentModel.DataAnnotations;
using Notify.Shared.Configuration;

namespace Notify.Tests.Configuration;

public sealed class AwsOptionsTests
{
    [Theory]
    [InlineData("notify-", true)]
    [InlineData("prod_eu-1-", true)]
    [InlineData("has.dot-", false)]
    [InlineData("has space", false)]
    [InlineData("", false)]
    public void ResourcePrefix_AllowsOnlyWhatTableAndQueueNamesAllow(string prefix, bool valid)
    {
        var options = new AwsOptions { ResourcePrefix = prefix };
        var errors = new List<ValidationResult>();

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        if (!valid && prefix.Length > 0)
        {
            Assert.Contains("Notify:Aws:ResourcePrefix", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
        }
    }
}
