using Amazon.CDK;
using Notify.Cdk;

// cdk.json runs this from cdk/: the repository root (the images' build context) is its parent.
var app = new App();
var settings = NotifySettings.From(app, RepositoryRoot.Find());
_ = new NotifyStack(app, app.Node.TryGetContext("stackName") as string ?? "Notify", settings, new StackProps
{
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
});
app.Synth();
