using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Components;

/// <summary>
/// Base of the component tests: bUnit with MudBlazor services and the app's real services on a
/// migrated SQLite database. Call <see cref="SignInAs"/> before the first render.
/// </summary>
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
        Services.AddSingleton(_app.CurrentUser);
        Services.AddSingleton(_app.Projects);
        Services.AddSingleton(_app.Partners);
        Services.AddSingleton(_app.Links);
        Services.AddSingleton(_app.Users);
        Services.AddSingleton(new NodiRef.Admin.Features.ApiTokens.ApiTokenService(_app.Database.Factory, _app.CurrentUser, _app.Clock));
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

    protected async Task<PartnerDetails> GivenPartnerAsync(string name, string? externalId = null, int? projectId = null)
    {
        var who = await App.CurrentUser.GetAsync();
        App.ActAs(Roles.Admin);
        try
        {
            var result = await App.Partners.CreateAsync(new CreatePartnerInput(name, externalId, PartnerStatus.Active, projectId), Ct);
            Assert.True(result.Succeeded, result.Describe());
            return result.Value!;
        }
        finally
        {
            App.CurrentUser.Set(who);
        }
    }

    protected async Task<T> QueryAsync<T>(Func<Data.AppDbContext, Task<T>> query)
    {
        await using var db = App.Database.CreateContext();
        return await query(db);
    }

    protected static IQueryable<ReferralLink> LinksOf(Data.AppDbContext db, int partnerId) =>
        db.ReferralLinks.AsNoTracking().Where(l => l.PartnerId == partnerId);
}
