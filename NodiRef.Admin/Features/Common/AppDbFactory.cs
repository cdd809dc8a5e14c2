namespace NodiRef.Admin.Features.Common;

/// <summary>
/// The contexts the services work on: the app's one factory, with each context's <see cref="AppDbContext.Auditor"/>
/// set to the scope's <see cref="CurrentUser"/>, so whatever a service saves is recorded under who is acting
/// (see <see cref="AuditTrail"/>). Every service takes this rather than the raw factory; a test checks that.
/// </summary>
public sealed class AppDbFactory(IDbContextFactory<AppDbContext> inner, CurrentUser currentUser, TimeProvider clock) : IDbContextFactory<AppDbContext>
{
    private Auditor? _auditor;

    private Auditor Auditor => _auditor ??= new Auditor(currentUser.ActorAsync, clock);

    public AppDbContext CreateDbContext()
    {
        var db = inner.CreateDbContext();
        db.Auditor = Auditor;
        return db;
    }

    public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var db = await inner.CreateDbContextAsync(cancellationToken);
        db.Auditor = Auditor;
        return db;
    }
}
