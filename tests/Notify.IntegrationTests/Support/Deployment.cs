namespace Notify.IntegrationTests.Support;

/// <summary>How a Notify service under test runs (<c>Notify:Mode</c>).</summary>
public enum Deployment
{
    /// <summary>One Frontend process with its in-process Sender, SQLite files in a data directory.</summary>
    Embedded,

    /// <summary>
    /// A Frontend and a standalone Sender as separate processes on dynalite, moto (SQS) and three Redis
    /// nodes, with tables and a queue of their own (a fresh resource prefix).
    /// </summary>
    Aws,
}
