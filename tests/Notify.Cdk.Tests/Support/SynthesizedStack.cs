using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Notify.Cdk.Tests.Support;

/// <summary>
/// The Notify stack synthesized offline from the given context values: the CDK's <see cref="Template"/>
/// for its matchers, and the same template as JSON for checks the matchers cannot say ("no * anywhere").
/// </summary>
public sealed class SynthesizedStack : IDisposable
{
    private readonly string _outdir = Path.Combine(Path.GetTempPath(), "notify-cdk-tests", Guid.NewGuid().ToString("N"));

    public SynthesizedStack(IDictionary<string, object> context)
    {
        Directory.CreateDirectory(_outdir);
        var app = new App(new AppProps
        {
            Outdir = _outdir,
            // The image assets are fingerprinted where they are instead of copied: the repository is the build context.
            Context = new Dictionary<string, object>(context) { ["aws:cdk:disable-asset-staging"] = true },
        });
        Settings = NotifySettings.From(app, RepositoryRoot.Find(AppContext.BaseDirectory));
        Stack = new NotifyStack(app, "Notify", Settings);
        Template = Template.FromStack(Stack);
        var file = app.Synth().GetStackByName(Stack.StackName).TemplateFullPath;
        Json = JsonDocument.Parse(File.ReadAllText(file));
    }

    public NotifySettings Settings { get; }

    public NotifyStack Stack { get; }

    public Template Template { get; }

    public JsonDocument Json { get; }

    public JsonElement Resources => Json.RootElement.GetProperty(nameof(Resources));

    /// <summary>The resources of one CloudFormation type, by logical id.</summary>
    public IReadOnlyList<(string Id, JsonElement Properties)> OfType(string type) =>
        [.. Resources.EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() == type)
            .Select(r => (r.Name, r.Value.TryGetProperty("Properties", out var p) ? p : default))];

    /// <summary>The logical id of the construct's CloudFormation resource.</summary>
    public string LogicalId(Constructs.IConstruct construct) =>
        Stack.GetLogicalId((CfnElement)(construct as CfnElement ?? construct.Node.DefaultChild!));

    public void Dispose()
    {
        Json.Dispose();
        try
        {
            Directory.Delete(_outdir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}
