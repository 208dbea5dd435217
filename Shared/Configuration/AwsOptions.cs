using System.ComponentModel.DataAnnotations;

namespace Notify.Shared.Configuration;

/// <summary>
/// Where Aws mode finds DynamoDB and SQS (section <c>Notify:Aws</c>). Credentials are not here: they
/// come from the standard AWS sources (environment, profile, instance or task role).
/// </summary>
public sealed class AwsOptions
{
    public const string SectionName = "Notify:Aws";

    /// <value>The default is <c>us-east-1</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Region { get; set; } = "us-east-1";

    /// <summary>A DynamoDB endpoint other than the region's own (a local server such as dynalite).</summary>
    public Uri? DynamoDbServiceUrl { get; set; }

    /// <summary>An SQS endpoint other than the region's own (a local server such as moto).</summary>
    public Uri? SqsServiceUrl { get; set; }

    /// <summary>Prefix of the tables and the queue Notify creates and uses, so several installations can share an account.</summary>
    /// <value>The default is <c>notify-</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z0-9_-]{1,40}$", ErrorMessage = "Notify:Aws:ResourcePrefix may hold 1 to 40 of A-Z a-z 0-9 _ - (the characters both DynamoDB table names and SQS queue names allow).")]
    public string ResourcePrefix { get; set; } = "notify-";

    /// <summary>
    /// Create the tables and the queue at start-up when they are missing. Turn off in production when
    /// the infrastructure owns them and Notify's role may not create resources.
    /// </summary>
    /// <value>The default is true.</value>
    public bool CreateResources { get; set; } = true;
}
