using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace Notify.Cdk.Secrets;

/// <summary>
/// <c>Notify:Links:TokenKey</c>: the base64 of 32 random bytes, the same for every Frontend and Sender.
/// Secrets Manager's generator makes passwords, not base64 of an exact byte count, so a small function
/// writes the key into the secret once, when the stack is created or the secret is replaced (a new prefix
/// names a new secret); later deployments keep it (a new key would invalidate every link already sent).
/// With <c>retainData</c> the secret outlives the stack like the tables, for the links already sent.
/// </summary>
public sealed class LinkTokenKey : Construct
{
    // Inline code (no asset to build): cfn-response is provided to inline Node.js functions.
    private const string Handler = """
        const response = require('cfn-response');
        const crypto = require('crypto');
        const { SecretsManagerClient, PutSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
        exports.handler = async (event, context) => {
          const id = event.PhysicalResourceId || 'link-token-key';
          let status = response.SUCCESS;
          try {
            const replaced = event.RequestType === 'Update'
              && event.OldResourceProperties.SecretId !== event.ResourceProperties.SecretId;
            if (event.RequestType === 'Create' || replaced) {
              await new SecretsManagerClient({}).send(new PutSecretValueCommand({
                SecretId: event.ResourceProperties.SecretId,
                SecretString: crypto.randomBytes(32).toString('base64'),
              }));
            }
          } catch (e) {
            console.log('Writing the link token key failed: ' + e.name);
            status = response.FAILED;
          }
          await new Promise(done => response.send(event, { ...context, done }, status, {}, id));
        };
        """;

    /// <summary>
    /// Node.js 22: this CDK version names runtimes only up to Node.js 20, which Lambda no longer accepts
    /// for new functions; Node.js 22 still provides the AWS SDK v3 and, for inline code, cfn-response.
    /// </summary>
    public static readonly Runtime WriterRuntime = new("nodejs22.x", RuntimeFamily.NODEJS, new LambdaRuntimeProps { SupportsInlineCode = true });

    public LinkTokenKey(Construct scope, string id, string secretName, bool retain) : base(scope, id)
    {
        Secret = new Secret(this, "Secret", new SecretProps
        {
            SecretName = secretName,
            Description = "Notify's link token key (Notify:Links:TokenKey), written once by the stack",
            RemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });

        var writer = new Function(this, "Writer", new FunctionProps
        {
            Runtime = WriterRuntime,
            Handler = "index.handler",
            Code = Code.FromInline(Handler),
            Timeout = Duration.Seconds(30),
        });
        writer.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["secretsmanager:PutSecretValue"],
            Resources = [Secret.SecretArn],
        }));

        Written = new CustomResource(this, "Value", new CustomResourceProps
        {
            ServiceToken = writer.FunctionArn,
            Properties = new Dictionary<string, object> { ["SecretId"] = Secret.SecretArn },
        });
    }

    public Secret Secret { get; }

    /// <summary>The resource that writes the key: what reads it must depend on it.</summary>
    public CustomResource Written { get; }
}
