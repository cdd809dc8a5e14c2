using Bunit;
using Bunit.TestDoubles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Components;

/// <summary>
/// Base of the component tests: bUnit with MudBlazor services and the app's real services on a
/// migrated SQLite database. Call <see cref="SignInAs"/> before the first render. The trait keeps them (and
/// every subclass: xunit reads class traits through the inheritance chain) out of the PostgreSQL run in .ci/run.
/// </summary>
[Trait("Database", "SqliteOnly")]
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    private TestServices? _app;

    protected TestServices App => _app ?? throw new InvalidOperationException("The test is not initialised.");
    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await TestServices.CreateAsync(Ct);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
            options.PopoverOptions.CheckForPopoverProvider = false;
        });
        Services.AddSingleton<TimeProvider>(_app.Clock);
        Services.AddSingleton(_app.CurrentUser);
        // The area services of the app's own registration, as the circuit's scope holds them.
        foreach (var service in NodiRef.Admin.Hosting.AppServices.AreaServices)
        {
            Services.AddSingleton(service, _app.Scope.ServiceProvider.GetRequiredService(service));
        }

        Services.AddOptions<TrackingOptions>();
        Services.AddScoped<PublicUrls>();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The services and the component authorization both see a user in this role.</summary>
    protected void SignInAs(string role)
    {
        App.ActAs(role);
        var auth = AddAuthorization();
        auth.SetAuthorized($"{role.ToLowerInvariant()}@example.com");
        auth.SetRoles(role);
    }

    /// <summary>Renders <typeparamref name="T"/> inside the MudBlazor providers.</summary>
    protected IRenderedComponent<TestHost> RenderInHost<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        Render<TestHost>(host => host.AddChildContent<T>(parameters ?? (_ => { })));

    protected async Task<ProjectRow> GivenProjectAsync(string name)
    {
        var who = await App.CurrentUser.GetAsync();
        App.ActAs(Roles.Admin);
        try
        {
            var result = await App.Projects.CreateAsync(new ProjectInput(name, "https://example.com/" + Uri.EscapeDataString(name)), Ct);
            Assert.True(result.Succeeded, result.Describe());
            return result.Value!;
        }
        finally
        {
            App.CurrentUser.Set(who);
        }
    }

    protected async Task<PartnerDetails> GivenPartnerAsync(string name, string? externalId = null, int? projectId = null, PartnerStatus status = PartnerStatus.Active)
    {
        var who = await App.CurrentUser.GetAsync();
        App.ActAs(Roles.Admin);
        try
        {
            var result = await App.Partners.CreateAsync(new CreatePartnerInput(name, externalId, status, projectId), Ct);
            Assert.True(result.Succeeded, result.Describe());
            return result.Value!;
        }
        finally
        {
            App.CurrentUser.Set(who);
        }
    }

    /// <summary>Runs arranging code as an admin; the test then acts as its own user again.</summary>
    protected Task<T> AsAdminAsync<T>(Func<Task<T>> arrange) => AsAsync(Roles.Admin, arrange);

    /// <summary>Runs arranging code in <paramref name="role"/>; the test then acts as its own user again.</summary>
    protected async Task<T> AsAsync<T>(string role, Func<Task<T>> arrange)
    {
        var who = await App.CurrentUser.GetAsync();
        App.ActAs(role);
        try
        {
            return await arrange();
        }
        finally
        {
            App.CurrentUser.Set(who);
        }
    }

    /// <summary>A partner in a new project, with its generated link.</summary>
    protected async Task<(ProjectRow Project, PartnerRow Partner, ReferralLink Link)> GivenPartnerWithLinkAsync(string name, string? projectName = null)
    {
        var project = await GivenProjectAsync(projectName ?? name + " shop");
        var partner = (await GivenPartnerAsync(name, name.ToLowerInvariant().Replace(' ', '_'), project.Id)).Partner;
        var link = await QueryAsync(db => LinksOf(db, partner.Id).SingleAsync(Ct));
        return (project, partner, link);
    }

    /// <summary>A rule set with one action, scoped to a project (or to everything).</summary>
    protected Task<RuleSetRow> GivenRuleSetAsync(string name, int? projectId, RewardType type = RewardType.Percentage, decimal amount = 10m, string currency = "EUR") =>
        AsAdminAsync(async () =>
        {
            var set = Ok(await App.RuleSets.CreateAsync(new RuleSetInput(name, null, null, null, projectId is null ? RewardScope.All : RewardScope.Project, projectId, IsActive: true), Ct));
            Ok(await App.RuleSets.CreateActionAsync(new ActionInput(set.Id, ConversionTypes.Purchase, type, amount, null, currency), Ct));
            return Ok(await App.RuleSets.GetAsync(set.Id, Ct));
        });

    /// <summary>
    /// A click, a sign-up and a purchase on <paramref name="link"/>, decided as the background processor
    /// would. With <paramref name="selfReferral"/>, the partner's own session used the buyer's IP: it is held as suspicious.
    /// </summary>
    protected async Task<ConversionRow> GivenConversionAsync(ReferralLink link, decimal amount, string currency = "EUR", string product = "desk-lamp", bool selfReferral = false)
    {
        var client = new ClientInfo(selfReferral ? "198.51.100.7" : $"203.0.113.{Random.Shared.Next(1, 250)}", "Mozilla/5.0 (test)");
        Guid trackingId;
        await using (var db = App.Database.CreateContext())
        {
            trackingId = (await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, client.IpAddress, Ct)).TrackingId;
            if (selfReferral)
            {
                db.PartnerSessions.Add(new PartnerSession { PartnerId = link.PartnerId, IpAddress = client.IpAddress, CreatedAt = App.Clock.GetUtcNow().UtcDateTime });
            }

            await db.SaveChangesAsync(Ct);
        }

        var referral = Ok(await App.Referrals.CreateAsync(new ReferralInput(trackingId, "buyer-" + Guid.NewGuid().ToString("N")[..8], client), Ct));
        // Sent as the shop's backend would, with a token of the tracking role.
        var receipt = await AsAsync(Roles.Tracking, async () => Ok(await App.Conversions.RecordAsync(new ConversionInput(referral.PublicId, null, null, ConversionTypes.Purchase,
            new ConversionPayload(ProductId: product, Amount: amount, Currency: currency), null, "test", client), Ct)));
        await using (var db = App.Database.CreateContext())
        {
            var conversion = await db.Conversions.SingleAsync(c => c.Id == receipt.Conversion.Id, Ct);
            Assert.True(await ConversionProcessing.ProcessAsync(db, conversion, App.Clock.GetUtcNow().UtcDateTime, Ct));
        }

        return await AsAdminAsync(async () => Ok(await App.Conversions.GetAsync(receipt.Conversion.PublicId, Ct)));
    }

    protected static T Ok<T>(Result<T> result)
    {
        Assert.True(result.Succeeded, $"Expected Ok but got {result.Status}: {result.Describe()}");
        return result.Value!;
    }

    /// <summary>The input (or textarea) of the field labelled <paramref name="label"/> inside <paramref name="scope"/>.</summary>
    protected static AngleSharp.Dom.IElement Field(IRenderedComponent<TestHost> cut, string label, string scope = ".mud-dialog") =>
        cut.FindAll($"{scope} .mud-input-control").First(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*') == label)
            .QuerySelector("input, textarea") ?? throw new InvalidOperationException($"The field {label} has no input.");

    /// <summary>Opens the MudSelect labelled <paramref name="label"/> and picks the option with this text.</summary>
    protected static void Choose(IRenderedComponent<TestHost> cut, string label, string option, string scope = "")
    {
        cut.FindAll($"{scope} div.mud-input-control".Trim()).First(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*') == label).MouseDown();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("div.mud-list-item"), i => i.TextContent.Trim() == option));
        cut.FindAll("div.mud-list-item").First(i => i.TextContent.Trim() == option).Click();
    }

    /// <summary>The test's URL (bUnit's navigation manager). Navigate before the first render to open a page at a URL.</summary>
    protected BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    /// <summary>What the filter bar's control labelled <paramref name="label"/> shows (a date range: both ends, joined by " - ").</summary>
    protected static string FilterShown(IRenderedComponent<TestHost> cut, string label) =>
        string.Join(" - ", cut.FindAll(".grid-filters .mud-input-control").First(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelectorAll("input:not([type=hidden])").Select(i => i.GetAttribute("value") ?? ""));

    /// <summary>The button whose aria-label or text is <paramref name="name"/>, inside <paramref name="scope"/> (an element).</summary>
    protected static AngleSharp.Dom.IElement ButtonIn(AngleSharp.Dom.IElement scope, string name) =>
        scope.QuerySelectorAll("button").First(b => b.GetAttribute("aria-label") == name || b.TextContent.Trim() == name);

    protected async Task<T> QueryAsync<T>(Func<NodiRef.Admin.Data.AppDbContext, Task<T>> query)
    {
        await using var db = App.Database.CreateContext();
        return await query(db);
    }

    protected static IQueryable<ReferralLink> LinksOf(NodiRef.Admin.Data.AppDbContext db, int partnerId) =>
        db.ReferralLinks.AsNoTracking().Where(l => l.PartnerId == partnerId);
}
