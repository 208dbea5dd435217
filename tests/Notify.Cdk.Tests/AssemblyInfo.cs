using System.Runtime.CompilerServices;

// Every CDK call goes to one Node process (jsii) over one pipe, which is not safe for concurrent use:
// the test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Notify.Cdk.Tests;

internal static class JsiiEnvironment
{
    /// <summary>Before jsii starts Node: its banner about Node's support dates says nothing about the stack.</summary>
    [ModuleInitializer]
    internal static void QuietNodeBanner() => Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_RELEASE", "1");
}
