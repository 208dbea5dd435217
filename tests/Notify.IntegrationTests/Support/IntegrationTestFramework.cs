using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Notify.IntegrationTests.Support.IntegrationTestFramework", "Notify.IntegrationTests")]

namespace Notify.IntegrationTests.Support;

/// <summary>
/// xunit's own framework, with clean-up when every test of the assembly has finished: it stops the
/// servers shared by the whole run (<see cref="SharedAwsServers"/>, the <see cref="OpenApiContract"/> checker). A handler on
/// <see cref="AppDomain.ProcessExit"/> did this before and was cut short, because the test runner ends
/// the test process without waiting for it: dynalite, moto and Redis nodes were left running after
/// every run.
/// </summary>
/// <remarks>
/// It also sizes the thread pool of the test process, which hosts the webhook receivers whose arrival times
/// the pacing tests measure. The pool starts with one thread per core (two here) and, once those are busy
/// (two test classes at once, each waiting on processes, polling and receiving), adds a thread about every
/// half second: a request that arrived in that gap was stamped up to 0.45 s late (seen: a delivery sent
/// exactly on its turn stamped 356 ms after it, next to one stamped 1 ms after its own).
/// </remarks>
public sealed class IntegrationTestFramework : XunitTestFramework
{
    private const int MinimumThreads = 32;

    public IntegrationTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(completionPorts, MinimumThreads));
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        // async void as in the method it overrides: the runner reports its end through the message sink.
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new AssemblyRunner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class AssemblyRunner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            // A failure here is reported as the assembly's clean-up failure, not lost.
            await Aggregator.RunAsync(SharedAwsServers.StopAsync);
            await Aggregator.RunAsync(OpenApiContract.StopAsync);
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
