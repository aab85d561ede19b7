using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Duban.Tests;

/// <summary>
/// A real HTTP receiver for webhooks: Kestrel on 127.0.0.1 and a port the OS chose. It records every request
/// (headers and raw body) as it arrives, then answers <see cref="Status"/>; while <see cref="Hold"/> is set it
/// answers nothing until released (or the test ends).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The answer's status code; may be changed between attempts.</summary>
    public int Status { get; set; } = StatusCodes.Status200OK;

    /// <summary>When true, requests wait for <see cref="Release"/> before being answered.</summary>
    public bool Hold { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public void Release() => _release.TrySetResult();

    public static async Task<WebhookReceiver> StartAsync(int status = StatusCodes.Status200OK, bool hold = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { Status = status, Hold = hold };
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            receiver._requests.Enqueue(new ReceivedRequest(
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
            if (receiver.Hold)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, receiver._stopping.Token);
                await receiver._release.Task.WaitAsync(TimeSpan.FromSeconds(60), linked.Token);
            }

            return Results.StatusCode(receiver.Status);
        });
        await app.StartAsync();
        receiver.Url = new Uri(new Uri(app.Urls.Single()), "/hook");
        return receiver;
    }

    /// <summary>Waits (bounded) until at least <paramref name="count"/> requests have arrived.</summary>
    public async Task WaitForAsync(int count, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (_requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < until, $"expected {count} requests within {within}, got {_requests.Count}");
            await Task.Delay(20);
        }
    }

    /// <summary>An address where nothing listens: a port the OS just gave out and took back.</summary>
    public static Uri ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/hook");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        Release();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

public sealed record ReceivedRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body);
