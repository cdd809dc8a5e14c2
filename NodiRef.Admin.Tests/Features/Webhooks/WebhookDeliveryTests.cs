using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Features.Webhooks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Webhooks;

/// <summary>The outbox and the dispatcher against a real receiver on loopback that checks every signature with the Standard Webhooks library.</summary>
public sealed class WebhookDeliveryTests : ServiceTest
{
    private static readonly ClientInfo Client = new("192.0.2.10", "Test/1.0");
    private WebhookReceiver? _receiver;

    private WebhookReceiver Receiver => _receiver!;
    private WebhookDispatcher Dispatcher => App.Provider.GetRequiredService<WebhookDispatcher>();
    private WebhookService Webhooks => App.Get<WebhookService>();

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Signatures carry the attempt's time, which the receiver checks against its own clock.
        App.Clock.Advance(DateTimeOffset.UtcNow - App.Clock.GetUtcNow());
        _receiver = await WebhookReceiver.StartAsync(Ct);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private async Task<WebhookEndpointWithSecret> GivenEndpointAsync(params string[] types)
    {
        App.ActAs(Roles.Admin);
        var created = Ok(await Webhooks.CreateEndpointAsync(new WebhookEndpointInput(Receiver.Url, "Backend", types), Ct));
        Receiver.Secrets.Add(created.Secret);
        return created;
    }

    /// <summary>Runs the dispatcher until it has nothing to do now.</summary>
    private async Task DispatchAsync()
    {
        for (var pass = 0; pass < 20 && await Dispatcher.RunOnceAsync(Ct) > 0; pass++)
        {
        }
    }

    private async Task<Referral> GivenReferralAsync(int partnerId, int projectId)
    {
        var link = (await LinksOfAsync(partnerId)).Single();
        await using var db = App.Database.CreateContext();
        var click = await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, ct: Ct);
        var referral = new Referral
        {
            PublicId = Guid.NewGuid(), TrackingId = click.TrackingId, ClickId = click.Id, LinkId = link.Id, PartnerId = partnerId,
            ProjectId = projectId, ProjectKey = projectId, CreatedAt = click.CreatedAt,
        };
        db.Referrals.Add(referral);
        await db.SaveChangesAsync(Ct);
        return referral;
    }

    private async Task<Conversion> ConvertAsync(Referral referral, decimal amount, string key)
    {
        var input = new ConversionInput(referral.PublicId, null, null, "purchase", new ConversionPayload(ProductId: "p", Amount: amount, Currency: "USD"), key, "hash-" + key, Client);
        return Ok(await App.Conversions.RecordAsync(input, Ct)).Conversion;
    }

    [Fact]
    public async Task Every_event_type_arrives_once_signed_with_the_apis_own_json()
    {
        await GivenEndpointAsync();
        var project = await GivenProjectAsync("Shop");
        var partner = await GivenPartnerAsync("Ada", "ada", project.Id);
        App.ActAs(Roles.Operator);
        Ok(await App.Partners.UpdateAsync(partner.Id, new UpdatePartnerInput("Ada King", "ada", PartnerStatus.Active, null), partner.Version, Ct));
        var set = Ok(await App.RuleSets.CreateAsync(new RuleSetInput("Launch", null, null, null, RewardScope.Project, project.Id, true), Ct));
        Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, "purchase", RewardType.Percentage, 10m, null, "USD"), Ct));
        var referral = await GivenReferralAsync(partner.Id, project.Id);
        App.ActAs(Roles.Tracking);
        var paid = await ConvertAsync(referral, 100m, "sale-1");
        var rejected = await ConvertAsync(referral, 50m, "sale-2");
        App.ActAs(Roles.Operator);
        Ok(await App.Conversions.RejectAsync(rejected.PublicId, "duplicate order", null, Ct));
        await App.Processor.ProcessPendingAsync(Ct);
        var reward = Ok(await App.Rewards.ListAsync(new RewardQuery(PartnerId: partner.Id, Status: RewardStatus.Pending), Ct)).Items.Single();
        var approved = Ok(await App.Rewards.ApproveAsync(reward.Id, null, reward.Version, Ct));
        Ok(await App.Rewards.PayAsync(reward.Id, "wire 42", approved.Version, Ct));
        Ok(await App.Conversions.RefundAsync(paid.PublicId, null, "returned", Ct));
        await App.Processor.ProcessPendingAsync(Ct);

        await DispatchAsync();

        Assert.All(Receiver.Requests, r => Assert.True(r.Verified, $"{r.Type} did not verify: {r.Signature}"));
        var types = Receiver.Requests.Select(r => r.Type).ToList();
        Assert.Equal(WebhookEventTypes.All.Where(t => t != WebhookEventTypes.ConversionSuspicious).Order(StringComparer.Ordinal), types.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Receiver.Requests.Count, Receiver.Requests.Select(r => r.MessageId).Distinct().Count());

        var updated = Receiver.Requests.Single(r => r.Type == WebhookEventTypes.PartnerUpdated);
        using var json = System.Text.Json.JsonDocument.Parse(updated.Body);
        Assert.Equal(updated.MessageId, json.RootElement.GetProperty("id").GetString());
        Assert.Equal("Ada King", json.RootElement.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal(partner.Id, json.RootElement.GetProperty("data").GetProperty("id").GetInt32());
        var accepted = Receiver.Requests.First(r => r.Type == WebhookEventTypes.ConversionAccepted);
        using var conversion = System.Text.Json.JsonDocument.Parse(accepted.Body);
        Assert.Equal(paid.PublicId, conversion.RootElement.GetProperty("data").GetProperty("id").GetGuid());
        Assert.Equal("accepted", conversion.RootElement.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_the_event_on_the_fourth_attempt_with_the_same_id()
    {
        var endpoint = await GivenEndpointAsync(WebhookEventTypes.PartnerCreated);
        Receiver.FailNext(3);
        await GivenPartnerAsync("Ada");

        await DispatchAsync();
        for (var retry = 0; retry < 3; retry++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(5));
            await DispatchAsync();
        }

        Assert.Equal(4, Receiver.Requests.Count);
        Assert.Single(Receiver.Requests.Select(r => r.MessageId).Distinct());
        var delivery = Ok(await Webhooks.DeliveriesAsync(new WebhookDeliveryQuery(endpoint.Endpoint.Id), Ct)).Items.Single();
        Assert.Equal((WebhookDeliveryStatus.Succeeded, 4, 200), (delivery.Status, delivery.Attempts, delivery.LastStatusCode));
        var attempts = Ok(await Webhooks.AttemptsAsync(delivery.Id, Ct));
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.StatusCode ?? 0));
        Assert.Equal(0, Ok(await Webhooks.GetEndpointAsync(endpoint.Endpoint.Id, Ct)).ConsecutiveFailures);
    }

    [Fact]
    public async Task After_the_last_retry_the_delivery_fails_and_a_redelivery_sends_it_again()
    {
        var endpoint = await GivenEndpointAsync(WebhookEventTypes.PartnerCreated);
        Receiver.FailNext(100);
        await GivenPartnerAsync("Ada");
        await DispatchAsync();
        for (var retry = 0; retry < 4; retry++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(5));
            await DispatchAsync();
        }

        var failed = Ok(await Webhooks.DeliveriesAsync(new WebhookDeliveryQuery(endpoint.Endpoint.Id, WebhookDeliveryStatus.Failed), Ct)).Items.Single();
        Assert.Equal(4, failed.Attempts);
        Assert.True(Ok(await Webhooks.GetEndpointAsync(endpoint.Endpoint.Id, Ct)).ConsecutiveFailures >= 4);

        Receiver.FailNext(0);
        Assert.Equal(1, Ok(await Webhooks.RedeliverFailedAsync(endpoint.Endpoint.Id, Ct)));
        await DispatchAsync();

        Assert.Equal(5, Receiver.Requests.Count);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, Ok(await Webhooks.DeliveriesAsync(new WebhookDeliveryQuery(endpoint.Endpoint.Id), Ct)).Items.Single().Status);
    }

    [Fact]
    public async Task A_change_that_rolls_back_sends_nothing()
    {
        await GivenEndpointAsync();
        await using (var db = App.Database.CreateContext())
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            db.Partners.Add(new Partner { Name = "Never", CreatedAt = App.Clock.GetUtcNow().UtcDateTime, UpdatedAt = App.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Ct);
            Assert.Equal(1, await db.WebhookEvents.CountAsync(Ct));
            await tx.RollbackAsync(Ct);
        }

        await DispatchAsync();

        Assert.Empty(Receiver.Requests);
        Assert.Equal(0, await CountAsync<WebhookEvent>());
    }

    [Fact]
    public async Task No_event_is_written_for_a_type_no_endpoint_wants()
    {
        await GivenEndpointAsync(WebhookEventTypes.RewardPaid);

        await GivenPartnerAsync("Ada");

        Assert.Equal(0, await CountAsync<WebhookEvent>());
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_until_the_overlap_ends_and_a_test_event_reaches_only_its_endpoint()
    {
        var endpoint = await GivenEndpointAsync(WebhookEventTypes.RewardPaid);
        var rotated = Ok(await Webhooks.RotateSecretAsync(endpoint.Endpoint.Id, null, Ct));
        Assert.NotEqual(endpoint.Secret, rotated.Secret);
        Assert.StartsWith(WebhookSigning.SecretPrefix, rotated.Secret, StringComparison.Ordinal);

        Ok(await Webhooks.SendTestAsync(endpoint.Endpoint.Id, Ct));
        await DispatchAsync();

        var test = Assert.Single(Receiver.Requests);
        Assert.Equal(WebhookEventTypes.Test, test.Type);
        Assert.Equal(2, test.Signature.Split(' ').Length);
        // The new secret signs first; the old one's signature follows (the .NET library's Verify reads only the first,
        // so each is checked on its own here, as the specification's verifiers check every one).
        Microsoft.AspNetCore.Http.HeaderDictionary With(string signature) => new()
        {
            ["webhook-id"] = test.MessageId,
            ["webhook-signature"] = signature,
            ["webhook-timestamp"] = test.Timestamp,
        };
        var signatures = test.Signature.Split(' ');
        var headers = With(test.Signature);
        Assert.True(WebhookReceiver.Verifies(rotated.Secret, test.Body, headers));
        Assert.True(WebhookReceiver.Verifies(endpoint.Secret, test.Body, With(signatures[1])));
        Assert.False(WebhookReceiver.Verifies(endpoint.Secret, test.Body, With(signatures[0])));
        Assert.False(WebhookReceiver.Verifies("whsec_" + Convert.ToBase64String(new byte[24]), test.Body, headers));
    }

    [Fact]
    public async Task An_endpoint_failing_past_the_limit_is_disabled_and_its_waiting_deliveries_fail()
    {
        var endpoint = await GivenEndpointAsync(WebhookEventTypes.PartnerCreated);
        Receiver.FailNext(100);
        await GivenPartnerAsync("Ada");
        await DispatchAsync();
        App.Clock.Advance(TimeSpan.FromDays(6));
        await GivenPartnerAsync("Alan");
        await DispatchAsync();

        var row = Ok(await Webhooks.GetEndpointAsync(endpoint.Endpoint.Id, Ct));
        Assert.False(row.IsEnabled);
        Assert.NotNull(row.DisabledReason);
        await using var db = App.Database.CreateContext();
        Assert.Equal(0, await db.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Pending, Ct));
    }

    [Fact]
    public async Task Two_dispatchers_at_once_send_each_delivery_once()
    {
        await GivenEndpointAsync(WebhookEventTypes.PartnerCreated);
        for (var i = 0; i < 30; i++)
        {
            await GivenPartnerAsync($"Partner {i}");
        }

        var other = ActivatorUtilities.CreateInstance<WebhookDispatcher>(App.Provider);
        await Dispatcher.FanOutAsync(Ct);
        await Task.WhenAll(Dispatcher.SendDueAsync(Ct), other.SendDueAsync(Ct));
        await Task.WhenAll(Dispatcher.RunOnceAsync(Ct), other.RunOnceAsync(Ct));

        Assert.Equal(30, Receiver.Requests.Count);
        Assert.Equal(30, Receiver.Requests.Select(r => r.MessageId).Distinct().Count());
        other.Dispose();
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hook")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("https://user:pass@93.184.216.34/hook")]
    public async Task By_default_an_endpoint_inside_the_network_or_not_http_is_refused(string url)
    {
        var addresses = new OutboundAddresses(Options.Create(new WebhookOptions()));

        Assert.NotNull(await addresses.ProblemAsync(url, Ct));
        Assert.Null(await addresses.ProblemAsync("https://93.184.216.34/hook", Ct));
    }
}
