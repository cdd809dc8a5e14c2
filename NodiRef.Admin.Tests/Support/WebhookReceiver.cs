using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// A real HTTP receiver on loopback, as a customer's backend would run one: it verifies every request with the
/// Standard Webhooks library (id, timestamp, signature) and keeps what arrived. It can answer 500 to the next N requests, or hold them open.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _failuresLeft;
    private int _holdsLeft;

    public sealed record Received(string MessageId, string Type, string Body, bool Verified, string Signature, string Timestamp);

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The secrets the signatures are checked with (an endpoint's, and after a rotation, both).</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public string Url { get; private set; } = "";

    public void FailNext(int times) => _failuresLeft = times;

    /// <summary>The next <paramref name="times"/> requests are kept (and counted) but never answered: held open until the sender goes away.</summary>
    public void HoldNext(int times) => _holdsLeft = times;

    /// <summary>Completes once <paramref name="count"/> requests in all have arrived; fails after <paramref name="within"/>.</summary>
    public async Task WhenReceivedAsync(int count, TimeSpan within)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Requests.Count >= count)
            {
                return;
            }

            _waiters.Add((count, done));
        }

        try
        {
            await done.Task.WaitAsync(within, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{Requests.Count} webhook requests arrived within {within.TotalSeconds} s, not {count}.");
        }
    }

    private void Arrived(Received request)
    {
        lock (_waiters)
        {
            Requests.Enqueue(request);
            foreach (var waiter in _waiters.Where(w => Requests.Count >= w.Count).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public IReadOnlyList<Received> Verified => [.. Requests.Where(r => r.Verified)];

    public static async Task<WebhookReceiver> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync(http.RequestAborted);
            var verified = receiver.Secrets.Any(secret => Verifies(secret, body, http.Request.Headers));
            var type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString()!;
            receiver.Arrived(new Received(http.Request.Headers["webhook-id"].ToString(), type, body, verified, http.Request.Headers["webhook-signature"].ToString(), http.Request.Headers["webhook-timestamp"].ToString()));
            if (Interlocked.Decrement(ref receiver._holdsLeft) >= 0)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            }

            return Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? Results.StatusCode(500) : Results.Ok("received");
        });
        await app.StartAsync(ct);
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    /// <summary>The Standard Webhooks library's own check (signature and a timestamp within its tolerance).</summary>
    public static bool Verifies(string secret, string body, IHeaderDictionary headers)
    {
        try
        {
            new StandardWebhook(secret).Verify(body, headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
