using Bunit;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Webhooks;
using NodiRef.Admin.Tests.Components;

namespace NodiRef.Admin.Tests.Features.Webhooks;

public sealed class WebhooksPageTests : ComponentTest
{
    private const string UrlField = "input[placeholder='https://api.example.com/webhooks/nodiref']";

    /// <summary>Opens "Add endpoint", types the URL and submits.</summary>
    private static void Add(IRenderedComponent<TestHost> cut, string url)
    {
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Add endpoint").Click();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find(UrlField)));
        cut.Find(UrlField).Input(url);
        cut.Find(".mud-dialog form").Submit();
    }

    [Fact]
    public void Adding_an_endpoint_shows_its_secret_once_and_lists_it()
    {
        SignInAs(Roles.Admin);
        var cut = RenderInHost<WebhooksPage>();
        cut.WaitForAssertion(() => Assert.Contains("No webhook endpoints yet.", cut.Markup, StringComparison.Ordinal));

        Add(cut, "http://127.0.0.1:9/hook");

        cut.WaitForAssertion(() =>
        {
            var field = cut.Find("[data-testid=webhook-secret]");
            Assert.StartsWith(WebhookSigning.SecretPrefix, (field.TagName == "INPUT" ? field : field.QuerySelector("input"))?.GetAttribute("value") ?? "", StringComparison.Ordinal);
        });
        cut.FindAll("button").First(b => b.TextContent.Trim() == "Done").Click();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("tbody tr.mud-table-row"));
            Assert.Contains("http://127.0.0.1:9/hook", row.TextContent, StringComparison.Ordinal);
            Assert.Contains("Every event", row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Enabled", row.QuerySelector("[data-testid=webhook-status]")!.TextContent.Trim());
        });
    }

    [Fact]
    public async Task A_test_event_shows_in_the_endpoints_deliveries_opened_from_the_url()
    {
        var endpoint = await AsAdminAsync(async () => (await App.Get<WebhookService>().CreateEndpointAsync(new WebhookEndpointInput("http://127.0.0.1:9/hook", "Backend", []), Ct)).Value!);
        await AsAdminAsync(() => App.Get<WebhookService>().SendTestAsync(endpoint.Endpoint.Id, Ct));
        await App.Provider.GetRequiredService<WebhookDispatcher>().FanOutAsync(Ct);
        SignInAs(Roles.Admin);
        Navigation.NavigateTo($"webhooks?endpoint={endpoint.Endpoint.Id}");

        var cut = RenderInHost<WebhooksPage>();

        cut.WaitForAssertion(() =>
        {
            var row = Assert.Single(cut.FindAll("[data-testid=webhook-deliveries] tbody tr.mud-table-row"));
            Assert.Contains(WebhookEventTypes.Test, row.TextContent, StringComparison.Ordinal);
            Assert.Equal("Pending", row.QuerySelector("[data-testid=delivery-status]")!.TextContent.Trim());
        });
    }

    [Fact]
    public void A_url_inside_the_network_is_refused_inline_when_private_addresses_are_not_allowed()
    {
        var options = App.Provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value;
        options.AllowPrivateAddresses = false;
        SignInAs(Roles.Admin);
        var cut = RenderInHost<WebhooksPage>();
        cut.WaitForAssertion(() => Assert.Contains("No webhook endpoints yet.", cut.Markup, StringComparison.Ordinal));

        Add(cut, "http://127.0.0.1:9/hook");

        cut.WaitForAssertion(() => Assert.Contains("public addresses only", cut.Markup, StringComparison.Ordinal));
        options.AllowPrivateAddresses = true;
    }
}
