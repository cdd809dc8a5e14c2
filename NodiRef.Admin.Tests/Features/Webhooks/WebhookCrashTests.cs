using System.Net;
using System.Net.Http.Headers;
using NodiRef.Admin.Tests.Api;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Webhooks;

/// <summary>The built app killed (SIGKILL) while a delivery is out, then started again on the same database.</summary>
[Trait("Database", "SqliteOnly")]
public sealed class WebhookCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Loopback receivers allowed; a dead instance's lease runs out within seconds; an attempt may wait a minute for its answer.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Webhooks__AllowPrivateAddresses"] = "true",
        ["Webhooks__Lease"] = "00:00:02",
        ["Webhooks__PollInterval"] = "00:00:00.250",
        ["Webhooks__Timeout"] = "00:01:00",
    };

    [Fact]
    public async Task Killed_mid_delivery_and_started_again_the_app_sends_the_event_again_with_the_same_webhook_id_and_records_it_delivered()
    {
        var folder = Directory.CreateTempSubdirectory("nodiref-webhook-crash-").FullName;
        try
        {
            await using var receiver = await WebhookReceiver.StartAsync(Ct);
            receiver.HoldNext(1);
            var token = await AppProcess.RunCommandAsync(folder, Settings, "create-token", "--name", "crash test", "--role", "Admin");

            int endpointId;
            await using (var first = await AppProcess.StartAsync(folder, Settings))
            {
                using var api = Client(first, token);
                var created = (await api.PostApiAsync("/api/webhook-endpoints", ApiHttp.Body(new { url = receiver.Url }))).AssertOne(HttpStatusCode.Created);
                receiver.Secrets.Add(created.Str("secret"));
                endpointId = created.GetProperty("endpoint").Int("id");
                (await api.PostApiAsync($"/api/webhook-endpoints/{endpointId}/test", null)).AssertOne();

                // The receiver holds the request open: the delivery is out, unanswered, when the app dies.
                await receiver.WhenReceivedAsync(1, TimeSpan.FromSeconds(30));
                await first.KillAsync();
            }

            await using var second = await AppProcess.StartAsync(folder, Settings);
            await receiver.WhenReceivedAsync(2, TimeSpan.FromSeconds(30));

            var requests = receiver.Requests.ToList();
            Assert.Equal(2, requests.Count);
            Assert.Equal(requests[0].MessageId, requests[1].MessageId);
            Assert.All(requests, r => Assert.True(r.Verified, r.Body));
            Assert.Equal(requests[0].Body, requests[1].Body);

            // The second instance records the answer: delivered, once; nothing else was sent.
            using var again = Client(second, token);
            var delivery = await DeliveredAsync(again, endpointId);
            Assert.Equal((requests[0].MessageId, 200), (delivery.Str("message_id"), delivery.Int("last_status_code")));
            Assert.Equal(2, receiver.Requests.Count);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static HttpClient Client(AppProcess app, string token)
    {
        var http = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<System.Text.Json.JsonElement> DeliveredAsync(HttpClient api, int endpointId)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var deliveries = (await api.GetApiAsync($"/api/webhook-endpoints/{endpointId}/deliveries")).AssertList();
            var delivery = Assert.Single(deliveries);
            if (delivery.Str("status") == "succeeded")
            {
                return delivery;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The delivery is still {delivery.Str("status")}: {delivery.GetRawText()}");
            await Task.Delay(20, Ct);
        }
    }
}
