using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;

namespace NodiRef.Admin.Tests.Support;

/// <summary>
/// Base of the service tests: a fresh migrated database and service provider per test, and
/// "given" helpers that arrange data as an admin without changing who the test acts as.
/// </summary>
public abstract class ServiceTest : IAsyncLifetime
{
    private TestServices? _app;
    private string? _aroundTheAuditTrail;

    protected TestServices App => _app ?? throw new InvalidOperationException("The test is not initialised.");
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => _app = await TestServices.CreateAsync(Ct);

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            try
            {
                // Whatever the test did, the event rollups still match the rows they count.
                await RollupCheck.AssertInStepAsync(_app.Database, Ct);

                // And every audited row matches its audit trail, unless the test said why it writes around it.
                if (_aroundTheAuditTrail is null)
                {
                    await AuditCheck.AssertInStepAsync(_app.Database, Ct);
                }
            }
            finally
            {
                await _app.DisposeAsync();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Says this test writes audited rows around the audit trail on purpose (a racing writer in raw SQL, a bulk
    /// loader), so it does not end with <see cref="AuditCheck"/>.
    /// </summary>
    protected void WritesAroundTheAuditTrail(string why) => _aroundTheAuditTrail = why;

    /// <summary>The value of a result that must have succeeded; the failure is described otherwise.</summary>
    protected static T Ok<T>(Result<T> result)
    {
        Assert.True(result.Succeeded, $"Expected Ok but got {result.Status}: {result.Describe()}");
        return result.Value!;
    }

    /// <summary>Asserts an Invalid result with an error on <paramref name="field"/>, and returns that error.</summary>
    protected static string InvalidOn<T>(Result<T> result, string field)
    {
        Assert.Equal(ResultStatus.Invalid, result.Status);
        Assert.True(result.Errors.ContainsKey(field), $"Expected an error on '{field}' but got: {string.Join("; ", result.Errors.Select(e => e.Key + "=" + e.Value))}");
        return result.Errors[field];
    }

    /// <summary>Asserts a Conflict result (a clash with stored data) with an error on <paramref name="field"/>, and returns that error.</summary>
    protected static string ConflictOn<T>(Result<T> result, string field)
    {
        Assert.Equal(ResultStatus.Conflict, result.Status);
        Assert.True(result.Errors.ContainsKey(field), $"Expected an error on '{field}' but got: {string.Join("; ", result.Errors.Select(e => e.Key + "=" + e.Value))}");
        return result.Errors[field];
    }

    protected async Task<int> CountAsync<TEntity>()
        where TEntity : class
    {
        await using var db = App.Database.CreateContext();
        return await db.Set<TEntity>().CountAsync(Ct);
    }

    protected async Task<ProjectRow> GivenProjectAsync(string name, ProjectStatus status = ProjectStatus.Active)
    {
        await using var admin = AdminScope();
        var projects = admin.ServiceProvider.GetRequiredService<ProjectService>();
        var project = Ok(await projects.CreateAsync(new ProjectInput(name, $"https://{Guid.NewGuid():N}.example.com/"), Ct));
        if (status != ProjectStatus.Active)
        {
            project = Ok(await projects.SetStatusAsync(project.Id, status, project.Version, Ct));
        }

        return project;
    }

    protected async Task<PartnerRow> GivenPartnerAsync(string name, string? externalId = null, int? projectId = null, PartnerStatus status = PartnerStatus.Active)
    {
        await using var admin = AdminScope();
        var partners = admin.ServiceProvider.GetRequiredService<PartnerService>();
        return Ok(await partners.CreateAsync(new CreatePartnerInput(name, externalId, status, projectId), Ct)).Partner;
    }

    protected async Task<LinkRow> GivenLinkAsync(int partnerId, string? code = null, int? projectId = null)
    {
        await using var admin = AdminScope();
        var links = admin.ServiceProvider.GetRequiredService<ReferralLinkService>();
        return Ok(await links.CreateAsync(new CreateLinkInput(partnerId, code, projectId), Ct));
    }

    /// <summary>Records a click on a link directly in the database, as the tracking endpoint would.</summary>
    protected async Task GivenClickAsync(int linkId)
    {
        await using var db = App.Database.CreateContext();
        var link = await db.ReferralLinks.AsNoTracking().FirstAsync(l => l.Id == linkId, Ct);
        await TestClicks.WriteAsync(App.Provider, link, App.Clock.GetUtcNow().UtcDateTime, ct: Ct);
    }

    protected async Task<List<ReferralLink>> LinksOfAsync(int partnerId)
    {
        await using var db = App.Database.CreateContext();
        return await db.ReferralLinks.AsNoTracking().Where(l => l.PartnerId == partnerId).OrderBy(l => l.Id).ToListAsync(Ct);
    }

    private AsyncServiceScope AdminScope()
    {
        var scope = App.Provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(CurrentUser.System(Roles.Admin));
        return scope;
    }
}
