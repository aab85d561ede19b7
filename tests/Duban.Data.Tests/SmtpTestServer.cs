using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Duban.Tests;

/// <summary>
/// A small real SMTP server for tests: a TcpListener on 127.0.0.1 speaking enough of RFC 5321 (220, EHLO/HELO, MAIL
/// FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT). It advertises no extensions, so a client must send
/// 7-bit MIME (encoded words, base64 or quoted-printable). Each accepted message is kept as raw bytes.
/// Every loop is bounded: at most 100 connections, 200 commands per connection, 30 s per connection, 1 MB per message.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const int MaxLine = 10_000, MaxMessage = 1 << 20;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _messages = new();
    private readonly ConcurrentBag<Task> _sessions = [];
    private Task _accepting = Task.CompletedTask;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<ReceivedMail> Messages => [.. _messages];

    public static SmtpTestServer Start()
    {
        var server = new SmtpTestServer();
        server._listener.Start();
        server._accepting = server.AcceptAsync();
        return server;
    }

    private async Task AcceptAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _sessions.Add(Task.Run(() => ServeAsync(client)));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        var stream = client.GetStream();
        var reader = new LineReader(stream);
        Task Reply(string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text + "\r\n"), ct).AsTask();

        try
        {
            await Reply("220 smtp.test ESMTP ready");
            string? from = null;
            var recipients = new List<string>();
            for (var commands = 0; commands < 200; commands++)
            {
                if (await reader.ReadLineAsync(ct) is not { } bytes)
                {
                    return;
                }

                var line = Encoding.ASCII.GetString(bytes);
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await Reply("250 smtp.test");
                        break;
                    case "MAIL":
                        from = Address(line);
                        recipients.Clear();
                        await Reply("250 2.1.0 OK");
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await Reply("250 2.1.5 OK");
                        break;
                    case "DATA" when from is not null && recipients.Count > 0:
                        await Reply("354 End data with <CR><LF>.<CR><LF>");
                        var data = new MemoryStream();
                        while (await reader.ReadLineAsync(ct) is { } dataLine)
                        {
                            if (dataLine is [(byte)'.'])
                            {
                                break;
                            }

                            var unstuffed = dataLine is [(byte)'.', ..] ? dataLine[1..] : dataLine; // RFC 5321 4.5.2
                            data.Write(unstuffed);
                            data.Write("\r\n"u8);
                            if (data.Length > MaxMessage)
                            {
                                await Reply("552 too big");
                                return;
                            }
                        }

                        _messages.Enqueue(new ReceivedMail(from, [.. recipients], data.ToArray()));
                        from = null;
                        recipients.Clear();
                        await Reply("250 2.0.0 queued");
                        break;
                    case "DATA":
                        await Reply("503 5.5.1 need MAIL and RCPT first");
                        break;
                    case "RSET":
                        from = null;
                        recipients.Clear();
                        await Reply("250 2.0.0 OK");
                        break;
                    case "NOOP":
                        await Reply("250 2.0.0 OK");
                        break;
                    case "QUIT":
                        await Reply("221 2.0.0 bye");
                        return;
                    default:
                        await Reply("502 5.5.2 command not implemented");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
            // The client went away or the test ended.
        }
    }

    /// <summary>The address in <c>MAIL FROM:&lt;a@b&gt;</c> or <c>RCPT TO:&lt;a@b&gt;</c>.</summary>
    private static string Address(string line)
    {
        var start = line.IndexOf('<', StringComparison.Ordinal);
        var end = line.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? line[(start + 1)..end] : "";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        await Task.WhenAll(_sessions);
        _listener.Dispose();
        _stop.Dispose();
    }

    /// <summary>Reads CRLF-terminated lines as raw bytes.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[8192];
        private int _start, _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken ct)
        {
            var line = new MemoryStream();
            while (line.Length <= MaxLine)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, ct);
                    if (_end == 0)
                    {
                        return null;
                    }
                }

                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    line.Write(_buffer, _start, _end - _start);
                    _start = _end;
                    continue;
                }

                line.Write(_buffer, _start, newline - _start);
                _start = newline + 1;
                var bytes = line.ToArray();
                return bytes is [.., (byte)'\r'] ? bytes[..^1] : bytes;
            }

            throw new IOException("line too long");
        }
    }
}

/// <summary>One message as the server received it: the envelope and the raw (dot-unstuffed) data.</summary>
public sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, byte[] Data);
