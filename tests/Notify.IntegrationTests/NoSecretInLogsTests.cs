using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Notify.IntegrationTests.Support;
using Notify.TestServers;
using Xunit.Abstractions;

namespace Notify.IntegrationTests;

/// <summary>
/// No secret reaches a log line, whatever the log levels: the real Frontend (with the Sender in
/// process, or beside a standalone Sender on the local AWS servers) runs with every category at Trace,
/// gets secrets in every place a client, a subscriber or Twilio might put them, delivers (and fails to
/// deliver) to endpoints that carry secrets, and then the whole output is searched for each secret.
/// </summary>
public sealed class NoSecretInLogsTests(TwilioServer twilio, ITestOutputHelper output) : IClassFixture<TwilioServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Where the process starts, and so its content root.</summary>
    public enum ContentRoot
    {
        /// <summary>The repository root: no appsettings.json, so the framework's own defaults apply (all at Information).</summary>
        Repository,

        /// <summary>The Frontend's project folder, with its appsettings.json.</summary>
        Frontend,
    }

    [Theory]
    [InlineData(ContentRoot.Repository, "simple", Deployment.Embedded)]
    [InlineData(ContentRoot.Frontend, "json", Deployment.Embedded)]
    [InlineData(ContentRoot.Repository, "json", Deployment.Aws)]
    public async Task SecretsSentEverywhere_NeverReachTheLog_WithEveryCategoryAtTrace(ContentRoot root, string formatter, Deployment deployment)
    {
        twilio.Reset();
        var secrets = new LogSecrets();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "notify-it", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        await using var receiver = await WebhookReceiver.StartAsync();
        var adminKey = secrets.New("the admin API key (Authorization: Bearer)", "nk");
        var settings = NotifyService.TestSettings(dataDirectory);
        settings["Notify:Auth:AdminKey"] = adminKey;
        settings["Notify:Sms:Twilio:AccountSid"] = secrets.Add("the Twilio account SID", twilio.AccountSid);
        settings["Notify:Sms:Twilio:AuthToken"] = secrets.Add("the Twilio auth token", twilio.AuthToken);
        settings["Notify:Sms:Twilio:BaseUrl"] = twilio.BaseUrl.AbsoluteUri;
        foreach (var (key, value) in EverythingLogged(formatter))
        {
            settings[key] = value;
        }

        if (deployment == Deployment.Aws)
        {
            foreach (var (key, value) in (await SharedAwsServers.GetAsync()).Settings(NotifyService.UniqueResourcePrefix()))
            {
                settings[key] = value;
            }
        }

        var workingDirectory = root == ContentRoot.Repository ? RepositoryPaths.Root : Path.Combine(RepositoryPaths.Root, "Frontend");
        var process = await NotifyProcess.StartFrontendAsync(settings, workingDirectory);
        NotifyProcess? sender = null;
        string Output() => process.Output + "\n" + sender?.Output;
        try
        {
            if (deployment == Deployment.Aws)
            {
                // The standalone Sender delivers: its own logging guard is the one under test for deliveries.
                sender = await NotifyProcess.StartSenderAsync(
                    new Dictionary<string, string?>(settings) { ["Notify:PublicBaseUrl"] = process.BaseAddress.AbsoluteUri }, workingDirectory);
            }

            using var scenario = new Scenario(process.BaseAddress, adminKey, secrets, receiver, twilio, dataDirectory);
            await scenario.RunAsync();
            await process.StopAsync(TimeSpan.FromSeconds(30));
            if (sender is not null)
            {
                await sender.StopAsync(TimeSpan.FromSeconds(30));
            }

            var log = Output();

            // The log was on: a harmless value sent the same way as the secrets is there, and so are the
            // framework's and Notify's own Debug lines.
            Assert.Contains(scenario.VisibleTopic, log, StringComparison.Ordinal);
            Assert.Contains("Microsoft.AspNetCore.Routing", log, StringComparison.Ordinal);
            Assert.Contains("Notify.Sender.Channels.Webhooks.WebhookSender", log, StringComparison.Ordinal);
            Assert.Contains(EndpointHost(receiver), log, StringComparison.Ordinal);
            output.WriteLine($"{secrets.All.Count} secrets checked in {log.Split('\n').Length} log lines.");
            secrets.AssertNoneIn(log);
        }
        catch
        {
            output.WriteLine(Output());
            throw;
        }
        finally
        {
            if (sender is not null)
            {
                await sender.DisposeAsync();
            }

            await process.DisposeAsync();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean; it is under the temp folder.
            }
        }
    }

    /// <summary>
    /// Every level at Trace, by default and for each category the framework and Notify log under (as a
    /// user chasing a problem would set them), scopes included, in the chosen console format.
    /// </summary>
    private static Dictionary<string, string?> EverythingLogged(string formatter)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Logging:Console:FormatterName"] = formatter,
            ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
        };
        string[] categories =
        [
            "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Hosting.Diagnostics",
            "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Server.Kestrel.BadRequests", "Microsoft.AspNetCore.Routing",
            "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Http",
            "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.HttpLogging", "Microsoft.Hosting.Lifetime", "Microsoft.Extensions.Http",
            "System.Net.Http", "System.Net.Http.HttpClient", "Notify",
        ];
        foreach (var category in categories)
        {
            settings[$"Logging:LogLevel:{category}"] = "Trace";
            settings[$"Logging:Console:LogLevel:{category}"] = "Trace";
        }

        return settings;
    }

    private static string EndpointHost(WebhookReceiver receiver) => receiver.BaseAddress.Authority;

    /// <summary>What clients, subscribers and Twilio send, in order; each secret is recorded where it is sent.</summary>
    private sealed class Scenario(Uri baseAddress, string adminKey, LogSecrets secrets, WebhookReceiver receiver, TwilioServer twilio, string dataDirectory)
        : IDisposable
    {
        private readonly NotifyClient _client = new(baseAddress, adminKey);

        // Requests the API does not describe (wrong keys, stray query parameters) go without the OpenAPI check.
        private readonly HttpClient _raw = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

        private static readonly string[] PublishOnly = ["publish"];

        public string VisibleTopic { get; } = "visible-" + Guid.NewGuid().ToString("N")[..12];

        public async Task RunAsync()
        {
            await _client.CreateTopicAsync(VisibleTopic);
            await SendKeysInHeadersAsync();
            await SendQueryStringsAsync();
            var hook = await SubscribeWebhooksAsync();
            var email = await SubscribeEmailAsync();
            var phones = await SubscribeSmsAsync();
            await PublishAsync();
            await SendBadBodiesAsync();
            await ReceiveInboundSmsAsync(phones.Refused);
            await WaitForDeliveriesAsync(hook, phones);
            await UnsubscribeAsync(hook, email);
        }

        public void Dispose()
        {
            _client.Dispose();
            _raw.Dispose();
        }

        private async Task SendKeysInHeadersAsync()
        {
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey));
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secrets.New("a wrong API key (Bearer)")));
            var user = secrets.New("a Basic user name");
            var password = secrets.New("a Basic password");
            var basic = secrets.Add("a Basic credential", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic));
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Add("X-Api-Key", secrets.New("an X-Api-Key header")));
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue(secrets.New("a bare Authorization header")));
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Add("Cookie", "session=" + secrets.New("a cookie")));

            // A scoped key: shown once in its 201, used where it may (200) and may not (403), and after its deletion (401).
            using var created = await _client.Http.PostAsJsonAsync("v1/keys", new { name = "ci", permissions = PublishOnly, topics = new[] { VisibleTopic } });
            var created201 = await NotifyClient.ExpectJsonAsync(created, 201);
            var scoped = secrets.Add("a scoped API key", created201.GetProperty("key").GetString()!);
            await SendAsync(HttpMethod.Post, $"v1/topics/{VisibleTopic}/messages", r =>
            {
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scoped);
                r.Content = JsonContent.Create(new { message = secrets.New("a message published with a scoped key") });
            });
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scoped));
            await SendAsync(HttpMethod.Delete, "v1/keys/" + created201.GetProperty("id").GetString(), authorize: true);
            await SendAsync(HttpMethod.Get, "v1/topics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scoped));
        }

        private async Task SendQueryStringsAsync()
        {
            string[] paths =
            [
                "v1/topics", $"v1/topics/{VisibleTopic}", $"v1/topics/{VisibleTopic}/subscriptions", "healthz", "healthz/ready",
                "openapi/v1.json", "no/such/path", "v1/no-such-call", "metrics",
            ];
            foreach (var path in paths)
            {
                var query = $"?api_key={secrets.New($"api_key on {path}")}&token={secrets.New($"token on {path}")}";
                await SendAsync(HttpMethod.Get, path + query, authorize: true);
                await SendAsync(HttpMethod.Post, path + query, authorize: false);
            }

            // Query values the API does read, with values it cannot bind or use.
            await SendAsync(HttpMethod.Get, "v1/topics?limit=" + secrets.New("a limit that is not a number"), authorize: true);
            await SendAsync(HttpMethod.Get, "v1/topics?cursor=" + secrets.New("a cursor that is not one"), authorize: true);
            await SendAsync(HttpMethod.Get, "v1/subscriptions?topic=" + VisibleTopic + "&status=" + secrets.New("a subscription status filter"), authorize: true);
        }

        /// <summary>A confirmed webhook that answers, and one whose URL is full of secrets and always fails.</summary>
        private async Task<Hooks> SubscribeWebhooksAsync()
        {
            var good = receiver.Url("good");
            var goodId = await SubscribeAsync("webhook", good.AbsoluteUri);
            var confirmation = await WaitForConfirmationAsync(goodId);
            var confirmUrl = confirmation.Json.GetProperty("confirmUrl").GetString()!;
            secrets.Add("a webhook's confirm token", confirmation.Json.GetProperty("token").GetString()!);
            secrets.Add("a webhook's confirm link's token", TokenOf(confirmUrl));

            // The owner's browser and its JSON client, then a guess with a wrong token.
            await SendAsync(HttpMethod.Get, confirmUrl, r => r.Headers.Accept.ParseAdd("text/html"));
            await NotifyClient.FollowLinkAsync(confirmUrl);
            await SendAsync(HttpMethod.Get, $"v1/subscriptions/{goodId}/confirm?token={secrets.New("a wrong confirm token")}", authorize: false);

            var user = secrets.New("a webhook URL's user name");
            var password = secrets.New("a webhook URL's password");
            var secretPath = secrets.New("a webhook URL's path");
            var signature = secrets.New("a webhook URL's query");
            var failing = new Uri($"http://{user}:{password}@{receiver.BaseAddress.Authority}/{secretPath}/hook?sig={signature}");
            receiver.Respond = r => r.Path.Contains(secretPath, StringComparison.Ordinal) ? 500 : 200;
            var failingId = await SubscribeAsync("webhook", failing.AbsoluteUri);
            var failingConfirmation = await WaitForConfirmationAsync(failingId);
            var failingConfirmUrl = failingConfirmation.Json.GetProperty("confirmUrl").GetString()!;
            secrets.Add("a failing webhook's confirm token", failingConfirmation.Json.GetProperty("token").GetString()!);
            await NotifyClient.FollowLinkAsync(failingConfirmUrl);

            // A rotation answers a second signing secret; deliveries are then signed with both.
            using var rotated = await _client.Http.PostAsync($"v1/subscriptions/{goodId}/secret/rotate", null);
            secrets.Add("a rotated webhook signing secret", (await NotifyClient.ExpectJsonAsync(rotated, 200)).GetProperty("secret").GetString()!);
            secrets.Add("a confirmation request's webhook-signature", SignatureOf(confirmation));
            return new Hooks(goodId, failingId, secretPath);
        }

        private async Task<ReceivedWebhook> WaitForConfirmationAsync(string id)
        {
            bool IsIt(ReceivedWebhook r) => r.Type == "SubscriptionConfirmation" && r.Json.GetProperty("subscriptionId").GetString() == id;
            var received = await receiver.WaitUntilAsync(r => r.Any(IsIt), Patience, $"the confirmation of {id}");
            return received.First(IsIt);
        }

        /// <summary>An email subscriber: its address is a secret, and so is the confirm token the email carries.</summary>
        private async Task<string> SubscribeEmailAsync()
        {
            var address = secrets.New("an email address's local part", "mb") + "@example.com";
            var id = await SubscribeAsync("email", address);
            var confirmUrl = await WaitForMailLinkAsync(id, "confirm");
            secrets.Add("an email's confirm token", TokenOf(confirmUrl));
            await SendAsync(HttpMethod.Get, confirmUrl, r => r.Headers.Accept.ParseAdd("text/html"));
            return id;
        }

        /// <summary>Two SMS subscribers; Twilio refuses the first, echoing its number as Twilio does.</summary>
        private async Task<Phones> SubscribeSmsAsync()
        {
            var refused = "+4479" + Random.Shared.NextInt64(10_000_000, 99_999_999);
            var delivered = "+4479" + Random.Shared.NextInt64(10_000_000, 99_999_999);
            secrets.Add("a refused phone number's digits", refused[1..]);
            secrets.Add("a phone number's digits", delivered[1..]);
            twilio.FailNumber(refused, 400, 21211, $"The 'To' number {refused} is not a valid phone number.");
            twilio.FailNextRequests(1, 503);
            await SubscribeAsync("sms", refused);
            await SubscribeAsync("sms", delivered);
            return new Phones(refused, delivered);
        }

        private async Task PublishAsync()
        {
            await _client.PublishAsync(VisibleTopic, new
            {
                message = secrets.New("a message body"),
                subject = secrets.New("a subject"),
                attributes = new Dictionary<string, string> { [secrets.New("an attribute's name")] = secrets.New("an attribute's value") },
            }, idempotencyKey: secrets.New("an Idempotency-Key"));
            await _client.PublishAsync(VisibleTopic, new
            {
                messages = new Dictionary<string, string>
                {
                    ["default"] = secrets.New("a default body"),
                    ["email"] = secrets.New("an email body"),
                    ["sms"] = secrets.New("an SMS body"),
                    ["webhook"] = secrets.New("a webhook body"),
                },
                dedupId = secrets.New("a dedupId"),
            });
        }

        /// <summary>Bodies the Frontend refuses: parse errors, unknown fields, the wrong media type, too large.</summary>
        private async Task SendBadBodiesAsync()
        {
            var messages = $"v1/topics/{VisibleTopic}/messages";
            await PostRawAsync(messages, $"{{\"message\":\"{secrets.New("a body cut short")}", "application/json");
            await PostRawAsync(messages, $"{{\"message\":{secrets.New("a bare word where JSON wants a value")}}}", "application/json");
            await PostRawAsync(messages, $"{{\"message\":\"x\",\"{secrets.New("an unknown field's name")}\":\"{secrets.New("an unknown field's value")}\"}}", "application/json");
            await PostRawAsync(messages, $"{{\"message\":\"{secrets.New("a duplicated field")}\",\"message\":\"y\"}}", "application/json");
            await PostRawAsync(messages, $"{{\"message\":\"x\",\"subject\":\"{secrets.New("a subject with a line break")}\\n\"}}", "application/json");
            await PostRawAsync(messages, $"{{\"message\":\"x\",\"dedupId\":\"{secrets.New("a dedupId with a space")} x\"}}", "application/json");
            await PostRawAsync(messages, secrets.New("a plain-text body"), "text/plain");
            try
            {
                await PostRawAsync(messages, $"{{\"message\":\"{string.Concat(Enumerable.Repeat(secrets.New("an oversize body") + " ", 30_000))}\"}}", "application/json");
            }
            catch (HttpRequestException)
            {
                // The server may answer 413 and close the connection before the whole body is sent.
            }
            await PostRawAsync("v1/topics", $"{{\"name\":\"{secrets.New("a topic name with a space")} x\"}}", "application/json");
            await PostRawAsync($"v1/topics/{VisibleTopic}/subscriptions", $"{{\"protocol\":\"email\",\"endpoint\":\"{secrets.New("a malformed email address")}@\"}}", "application/json");
            await PostRawAsync($"v1/topics/{VisibleTopic}/subscriptions", $"{{\"protocol\":\"sms\",\"endpoint\":\"+0{Random.Shared.NextInt64(10_000_000_000, 99_999_999_999)}\"}}", "application/json");
        }

        /// <summary>Twilio's inbound webhook: signed, wrongly signed, with a secret in the URL Twilio was given.</summary>
        private async Task ReceiveInboundSmsAsync(string from)
        {
            var url = new Uri(baseAddress, $"v1/sms/inbound?sig={secrets.New("a query on the inbound SMS URL")}").AbsoluteUri;
            var fields = new Dictionary<string, string>
            {
                ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
                ["AccountSid"] = twilio.AccountSid,
                ["From"] = from,
                ["To"] = "+15550000000",
                ["Body"] = secrets.New("an inbound SMS's text"),
                ["NumMedia"] = "0",
            };
            var valid = secrets.Add("a valid X-Twilio-Signature", TwilioSignature.Compute(twilio.AuthToken, url, fields));
            await SendAsync(HttpMethod.Post, url, r =>
            {
                r.Content = new FormUrlEncodedContent(fields);
                r.Headers.Add("X-Twilio-Signature", valid);
            });
            await SendAsync(HttpMethod.Post, url, r =>
            {
                r.Content = new FormUrlEncodedContent(fields);
                r.Headers.Add("X-Twilio-Signature", secrets.New("a wrong X-Twilio-Signature"));
            });
        }

        /// <summary>The answering webhook got both messages, the failing one was retried, Twilio saw both numbers, the email went out.</summary>
        private async Task WaitForDeliveriesAsync(Hooks hooks, Phones phones)
        {
            await receiver.WaitUntilAsync(
                r => r.Count(x => x.Path.Contains("good", StringComparison.Ordinal) && x.Type == "Notification") >= 2
                    && r.Count(x => x.Path.Contains(hooks.FailingPath, StringComparison.Ordinal) && x.Type == "Notification") >= 4,
                Patience,
                "both notifications at the answering webhook and retries at the failing one");
            await twilio.WaitForSentAsync(r => r.Form.GetValueOrDefault("To") == phones.Delivered, 2, Patience, "both SMS to the number Twilio takes");
            Assert.True(twilio.Requests.Count(r => r.Form.GetValueOrDefault("To") == phones.Refused) >= 2, "Twilio was asked to send to the refused number");
        }

        /// <summary>The unsubscribe links of a webhook notification (GET, a wrong token, one-click POST) and of an email (one-click POST).</summary>
        private async Task UnsubscribeAsync(Hooks hooks, string emailId)
        {
            var notification = receiver.Received.First(r => r.Path.Contains("good", StringComparison.Ordinal) && r.Type == "Notification");
            var unsubscribeUrl = notification.Json.GetProperty("unsubscribeUrl").GetString()!;
            secrets.Add("a webhook's unsubscribe token", TokenOf(unsubscribeUrl));
            secrets.Add("a notification's webhook-signature", SignatureOf(notification));
            await SendAsync(HttpMethod.Get, $"v1/subscriptions/{hooks.GoodId}/unsubscribe?token={secrets.New("a wrong unsubscribe token")}", authorize: false);
            await SendAsync(HttpMethod.Get, unsubscribeUrl, authorize: false);
            await SendAsync(HttpMethod.Post, unsubscribeUrl, r => r.Content = new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));

            var emailUnsubscribe = await WaitForMailLinkAsync(emailId, "unsubscribe");
            secrets.Add("an email's unsubscribe token", TokenOf(emailUnsubscribe));
            await SendAsync(HttpMethod.Post, emailUnsubscribe, r => r.Content = new FormUrlEncodedContent([KeyValuePair.Create("List-Unsubscribe", "One-Click")]));
        }

        /// <summary>Subscribes; a webhook's signing secret, in the answer, is one more secret.</summary>
        private async Task<string> SubscribeAsync(string protocol, string endpoint)
        {
            var subscription = await _client.SubscribeAsync(VisibleTopic, protocol, endpoint);
            if (subscription.TryGetProperty("secret", out var secret))
            {
                secrets.Add($"a {protocol} signing secret", secret.GetString()!);
            }

            return subscription.GetProperty("id").GetString()!;
        }

        /// <summary>The first signature of a request's webhook-signature header (<c>v1,&lt;base64&gt;</c>).</summary>
        private static string SignatureOf(ReceivedWebhook request) =>
            request.Headers["webhook-signature"].Split(' ')[0]["v1,".Length..];

        /// <summary>The first link to <paramref name="action"/> subscription <paramref name="id"/> in any email in the pickup folder.</summary>
        private async Task<string> WaitForMailLinkAsync(string id, string action)
        {
            var folder = Path.Combine(dataDirectory, "mail");
            var pattern = new Regex(Regex.Escape(baseAddress.AbsoluteUri + $"v1/subscriptions/{id}/{action}?token=") + "[A-Za-z0-9_-]+");
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
                {
                    if (pattern.Match(await File.ReadAllTextAsync(file)) is { Success: true } match)
                    {
                        return match.Value;
                    }
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"No email with a {action} link for {id} appeared in {folder}.");
        }

        private async Task PostRawAsync(string path, string body, string mediaType) =>
            await SendAsync(HttpMethod.Post, path, r => r.Content = new StringContent(body, Encoding.UTF8, mediaType));

        private Task SendAsync(HttpMethod method, string path, bool authorize) =>
            SendAsync(method, path, r =>
            {
                if (authorize)
                {
                    r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
                }
            });

        /// <summary>Sends a request and reads its answer, whatever its status: what matters here is what the server logs.</summary>
        private async Task SendAsync(HttpMethod method, string path, Action<HttpRequestMessage> prepare)
        {
            using var request = new HttpRequestMessage(method, path);
            prepare(request);
            using var response = await _raw.SendAsync(request);
            await response.Content.ReadAsStringAsync();
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }
    }

    private static string TokenOf(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + "token=".Length)..];

    private sealed record Hooks(string GoodId, string FailingId, string FailingPath);

    private sealed record Phones(string Refused, string Delivered);
}
