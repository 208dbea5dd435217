using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Notify.TestServers;

/// <summary>
/// A small SMTP server on a loopback socket, for the answers maildev cannot give: it refuses the sender,
/// a recipient or a message with the reply a test scripts, counts the connections it accepted, and can
/// drop every open connection as a server restarting would. It speaks plain SMTP (RFC 5321): greeting,
/// EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _open = new();
    private readonly ConcurrentQueue<string> _delivered = new();
    private readonly Task _accepting;
    private int _connections;

    private ScriptedSmtpServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static ScriptedSmtpServer Start() => new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The recipient of every message accepted, in order.</summary>
    public IReadOnlyList<string> Delivered => _delivered.ToArray();

    /// <summary>The reply to <c>MAIL FROM</c> for a sender address (such as "553 5.7.1 Sender rejected"); null accepts.</summary>
    public Func<string, string?> MailFrom { get; set; } = _ => null;

    /// <summary>The reply to <c>RCPT TO</c> for a recipient address; null accepts.</summary>
    public Func<string, string?> RcptTo { get; set; } = _ => null;

    /// <summary>The reply after the message's final dot; null accepts.</summary>
    public Func<string?> EndOfData { get; set; } = () => null;

    /// <summary>Closes every open connection without a word, as a server that restarts or times clients out.</summary>
    public void DropConnections()
    {
        foreach (var client in _open.Keys)
        {
            client.Client?.Close(0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropConnections();
        await Task.WhenAll(_open.Values.Append(_accepting).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _open[client] = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await Task.Yield();
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII);
                await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 localhost ESMTP scripted");
                string? recipient = null;
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-localhost\r\n250 8BITMIME");
                            break;
                        case "HELO":
                        case "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 Ok");
                            break;
                        case "RSET":
                            recipient = null;
                            await writer.WriteLineAsync("250 2.0.0 Ok");
                            break;
                        case "MAIL":
                            await writer.WriteLineAsync(MailFrom(Address(line)) ?? "250 2.1.0 Ok");
                            break;
                        case "RCPT":
                            var refused = RcptTo(Address(line));
                            recipient = refused is null ? Address(line) : recipient;
                            await writer.WriteLineAsync(refused ?? "250 2.1.5 Ok");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            while (await reader.ReadLineAsync(_stop.Token) is { } data && data != ".")
                            {
                            }

                            var answer = EndOfData();
                            if (answer is null && recipient is not null)
                            {
                                _delivered.Enqueue(recipient);
                            }

                            recipient = null;
                            await writer.WriteLineAsync(answer ?? "250 2.0.0 Ok: queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                            break;
                    }
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The client or DropConnections closed the socket.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
        }
    }

    /// <summary>"x@example.com" from "MAIL FROM:&lt;x@example.com&gt; SIZE=123".</summary>
    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', start + 1);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }
}
