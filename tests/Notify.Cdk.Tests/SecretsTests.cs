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

    /// <summary>With retainData (the default) the link token key outlives the stack like the tables: links already sent stay valid.</summary>
    [Fact]
    public void LinkTokenKey_IsKeptWithTheData()
    {
        var stack = stacks.Plain;
        Assert.True(stack.Settings.RetainData);
        var secret = stack.Resources.GetProperty(stack.LogicalId(stack.Stack.Secrets.LinkTokenKey.Secret));
        Assert.Equal("Retain", secret.GetProperty("DeletionPolicy").GetString());
        foreach (var generated in new[] { stack.Stack.Secrets.AdminKey, stack.Stack.Secrets.RedisAuthToken })
        {
            Assert.Equal("Delete", stack.Resources.GetProperty(stack.LogicalId(generated)).GetProperty("DeletionPolicy").GetString());
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
        Assert.Equal("nodejs22.x", stack.Resources.GetProperty(function).GetProperty("Properties").GetProperty("Runtime").GetString());
        Assert.Equal(
            [
                "put a (32 bytes)", "Create SUCCESS",
                "Update SUCCESS",
                "put b (32 bytes)", "Update SUCCESS",
                "Delete SUCCESS",
                "Create FAILED",
            ],
            RunHandler(code));

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

    /// <summary>
    /// Runs the function's inline code under Node with stand-ins for the two modules Lambda provides
    /// (cfn-response, the AWS SDK's Secrets Manager client), through the requests CloudFormation sends:
    /// create, an update that keeps the secret, an update to a new secret (a new prefix), delete, and a
    /// create whose write fails. Returns what it wrote and answered, in order.
    /// </summary>
    private static List<string> RunHandler(string code)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"notify-link-key-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(directory, "node_modules", "cfn-response"));
        Directory.CreateDirectory(Path.Combine(directory, "node_modules", "@aws-sdk", "client-secrets-manager"));
        try
        {
            File.WriteAllText(Path.Combine(directory, "index.js"), code);
            File.WriteAllText(Path.Combine(directory, "node_modules", "cfn-response", "index.js"), """
                module.exports = {
                  SUCCESS: 'SUCCESS', FAILED: 'FAILED',
                  send(event, context, status, data, id) {
                    if (id !== 'link-token-key') throw new Error('physical id ' + id);
                    global.calls.push(event.RequestType + ' ' + status);
                    setImmediate(context.done);
                  },
                };
                """);
            File.WriteAllText(Path.Combine(directory, "node_modules", "@aws-sdk", "client-secrets-manager", "index.js"), """
                class PutSecretValueCommand { constructor(input) { this.input = input; } }
                class SecretsManagerClient {
                  async send(command) {
                    if (command.input.SecretId === 'fail') throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
                    global.calls.push('put ' + command.input.SecretId + ' (' + Buffer.from(command.input.SecretString, 'base64').length + ' bytes)');
                  }
                }
                module.exports = { SecretsManagerClient, PutSecretValueCommand };
                """);
            File.WriteAllText(Path.Combine(directory, "run.js"), """
                global.calls = [];
                const { handler } = require('./index.js');
                const context = { logStreamName: 'stream' };
                const id = 'link-token-key';
                (async () => {
                  await handler({ RequestType: 'Create', ResourceProperties: { SecretId: 'a' } }, context);
                  await handler({ RequestType: 'Update', PhysicalResourceId: id, OldResourceProperties: { SecretId: 'a' }, ResourceProperties: { SecretId: 'a' } }, context);
                  await handler({ RequestType: 'Update', PhysicalResourceId: id, OldResourceProperties: { SecretId: 'a' }, ResourceProperties: { SecretId: 'b' } }, context);
                  await handler({ RequestType: 'Delete', PhysicalResourceId: id, ResourceProperties: { SecretId: 'b' } }, context);
                  await handler({ RequestType: 'Create', ResourceProperties: { SecretId: 'fail' } }, context);
                  require('fs').writeFileSync('calls.json', JSON.stringify(global.calls));
                })();
                """);
            using var node = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", ["run.js"])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            // The handler logs a failed write to stdout (Lambda's log): the calls go to a file of their own.
            var errors = node.StandardError.ReadToEndAsync();
            var log = node.StandardOutput.ReadToEnd();
            Assert.True(node.WaitForExit(TimeSpan.FromMinutes(1)), "node did not finish");
            Assert.True(node.ExitCode == 0, errors.Result);
            Assert.Contains("Writing the link token key failed: AccessDeniedException", log, StringComparison.Ordinal);
            return System.Text.Json.JsonSerializer.Deserialize<List<string>>(File.ReadAllText(Path.Combine(directory, "calls.json")))!;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
