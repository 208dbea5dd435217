namespace Notify.Frontend.Validation;

/// <summary>The API's limits, as SNS's.</summary>
internal static class Limits
{
    public const int TopicNameMaxLength = 256;

    /// <summary>256 KiB of UTF-8 for the message, its subject and its attributes together (as SNS counts).</summary>
    public const int MessageMaxBytes = 256 * 1024;

    public const int SubjectMaxLength = 100;
    public const int MaxAttributes = 10;
    public const int AttributeNameMaxLength = 256;
    public const int DedupIdMaxLength = 128;
    public const int EndpointMaxLength = 2048;
    public const int EmailMaxLength = 254;

    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>Largest accepted publish body: a 256 KiB message may grow when JSON-escaped.</summary>
    public const long PublishBodyMaxBytes = 2 * 1024 * 1024;

    /// <summary>Largest body of every other call.</summary>
    public const long DefaultBodyMaxBytes = 64 * 1024;
}
