using System.Text.Json;
using Notify.Cdk.Tests.Support;

namespace Notify.Cdk.Tests;

/// <summary>Every secret comes from Secrets Manager as an ECS secret; none is a plain environment variable.</summary>
[Collection(SynthesizedCollection.Name)]
public sealed class SecretsTests(SynthesizedStacks stacks)
{
    private static readonly string[] SecretSettings =
        ["Notify__Auth__AdminKey", "Notify__Redis__Password", "Notify__Links__TokenKey", "Notify__Email__Password", "Notify__Sms__Twilio__AuthToken"];

    [Fact]
    public void Secrets_AreContainerSecrets_NeverEnvironment()
    {
        foreach (var stack in stacks.Both)
        {
            foreach (var service in NotifyProcesses.Names)
            {
                var environment = NotifyProcesses.Environment(stack, service);
                Assert.DoesNotContain(environment.Keys, SecretSettings.Contains);
                Assert.DoesNotContain(environment.Keys, k => k.EndsWith("Password", StringComparison.Ordinal) || k.EndsWith("Token", StringComparison.Ordinal) || k.EndsWith("Key", StringComparison.Ordinal));
            }
        }

        var full = stacks.Full;
        var frontend = NotifyProcesses.Secrets(full, "Frontend");
        var sender = NotifyProcesses.Secrets(full, "Sender");
        Assert.Equal(SecretSettings.Order(), frontend.Keys.Order());
        // The admin key authenticates API calls, which only the Frontend answers.
        Assert.Equal(SecretSettings.Where(s => s != "Notify__Auth__AdminKey").Order(), sender.Keys.Order());

        Assert.Equal(full.LogicalId(full.Stack.Secrets.AdminKey), frontend["Notify__Auth__AdminKey"].GetProperty("Ref").GetString());
        Assert.Equal(full.LogicalId(full.Stack.Secrets.LinkTokenKey.Secret), sender["Notify__Links__TokenKey"].GetProperty("Ref").GetString());
        // The operator's own secrets, by their complete ARNs.
        Assert.Equal(SynthesizedStacks.SmtpPasswordArn, sender["Notify__Email__Password"].GetString());
        Assert.Equal(SynthesizedStacks.TwilioAuthTokenArn, sender["Notify__Sms__Twilio__AuthToken"].GetString());
        Assert.Equal(SynthesizedStacks.TwilioAuthTokenArn, frontend["Notify__Sms__Twilio__AuthToken"].GetString());

        // Without email and SMS, no secret of theirs is asked for.
        Assert.Equal(["Notify__Auth__AdminKey", "Notify__Links__TokenKey", "Notify__Redis__Password"], NotifyProcesses.Secrets(stacks.Plain, "Frontend").Keys.Order());
    }

    [Fact]
    public void GeneratedSecrets_AreGeneratedByAws_NotWrittenInTheTemplate()
    {
        foreach (var stack in stacks.Both)
        {
            var secrets = stack.OfType("AWS::SecretsManager::Secret");
            Assert.Equal(3, secrets.Count);
            Assert.All(secrets, s => Assert.False(s.Properties.TryGetProperty("SecretString", out _), $"{s.Id} has its value in the template"));
            foreach (var secret in new[] { stack.Stack.Secrets.AdminKey, stack.Stack.Secrets.RedisAuthToken })
            {
                var generator = stack.Resources.GetProperty(stack.LogicalId(secret)).GetProperty("Properties").GetProperty("GenerateSecretString");
                Assert.True(generator.GetProperty("ExcludePunctuation").GetBoolean());
                Assert.True(generator.GetProperty("PasswordLength").GetInt32() >= 32);
            }

            Assert.Equal(stack.Settings.ResourcePrefix + "admin-key", stack.Stack.Secrets.AdminKey.Node.DefaultChild is Amazon.CDK.AWS.SecretsManager.CfnSecret cfn ? cfn.Name : null);
        }
    }

    /// <summary>The link token key is written once by a function allowed to write that secret only, before any task starts.</summary>
    [Fact]
    public void LinkTokenKey_IsWrittenBeforeTheServicesStart()
    {
        var stack = stacks.Plain;
        var secret = stack.LogicalId(stack.Stack.Secrets.LinkTokenKey.Secret);
        var writer = stack.LogicalId(stack.Stack.Secrets.LinkTokenKey.Written);
        var resource = stack.Resources.GetProperty(writer);
        Assert.Equal(secret, resource.GetProperty("Properties").GetProperty("SecretId").GetProperty("Ref").GetString());

        var function = resource.GetProperty("Properties").GetProperty("ServiceToken").GetProperty("Fn::GetAtt")[0].GetString()!;
        var code = stack.Resources.GetProperty(function).GetProperty("Properties").GetProperty("Code").GetProperty("ZipFile").GetString()!;
        Assert.Contains("randomBytes(32).toString('base64')", code, StringComparison.Ordinal);
        Assert.Contains("event.RequestType === 'Create'", code, StringComparison.Ordinal);
        AssertNodeParses(code);

        var role = stack.Resources.GetProperty(function).GetProperty("Properties").GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString();
        var statement = Assert.Single(stack.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties.GetProperty("Roles").EnumerateArray().Any(r => r.GetProperty("Ref").GetString() == role))
            .SelectMany(p => p.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray()));
        Assert.Equal("secretsmanager:PutSecretValue", statement.GetProperty("Action").GetString());
        Assert.Equal(secret, statement.GetProperty("Resource").GetProperty("Ref").GetString());

        foreach (var service in new[] { stack.Stack.Services.Frontend, stack.Stack.Services.Sender })
        {
            var dependsOn = stack.Resources.GetProperty(stack.LogicalId(service)).GetProperty("DependsOn").EnumerateArray().Select(d => d.GetString());
            Assert.Contains(writer, dependsOn);
        }
    }

    /// <summary>The function's inline code is only run by Lambda: at least Node (which synthesis needs anyway) must parse it.</summary>
    private static void AssertNodeParses(string code)
    {
        var file = Path.Combine(Path.GetTempPath(), $"notify-link-key-{Guid.NewGuid():N}.js");
        File.WriteAllText(file, code);
        try
        {
            using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", ["--check", file]) { RedirectStandardError = true })!;
            var errors = node.StandardError.ReadToEnd();
            Assert.True(node.WaitForExit(TimeSpan.FromMinutes(1)), "node --check did not finish");
            Assert.True(node.ExitCode == 0, errors);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
