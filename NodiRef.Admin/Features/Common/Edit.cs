namespace NodiRef.Admin.Features.Common;

/// <summary>
/// What the edit skeleton (<see cref="Edit"/>) needs to know about one kind of row. Each service keeps one
/// per entity it edits.
/// </summary>
public sealed class EditRules<TEntity, TRow>
    where TEntity : class, IVersioned
{
    /// <summary>How a message names one of them: "Project", "Partner", "Referral link".</summary>
    public required string Noun { get; init; }

    /// <summary>The row to answer with, from the entity as saved, on the same context (no second read of the entity).</summary>
    public required Func<AppDbContext, TEntity, CancellationToken, Task<TRow>> Read { get; init; }

    /// <summary>Stamps a changed entity before it is saved (its UpdatedAt).</summary>
    public Action<TEntity>? Touch { get; init; }

    /// <summary>Rows derived from the entity, written in the same transaction as it (a partner's project memberships).</summary>
    public Func<AppDbContext, TEntity, CancellationToken, Task>? AfterSave { get; init; }

    /// <summary>The answer when a unique index refused the save (a name or external id taken meanwhile).</summary>
    public Func<TEntity, CancellationToken, Task<Result<TRow>>>? Duplicate { get; init; }

    public string NotFound(object id) => $"{Noun} {id} does not exist.";

    public string Stale => $"This {Noun.ToLowerInvariant()} was changed by someone else in the meantime. Reload it and apply your change again.";
}

/// <summary>
/// The edit skeleton, written once: load, not found, version check, change (which validates), save, map a
/// concurrency or unique-index failure, answer the row. Services open with their permission check, then
/// hand the change to <see cref="UpdateAsync"/> (or a new entity to <see cref="SaveAsync"/>).
/// </summary>
public static class Edit
{
    /// <summary>
    /// Changes the entity <paramref name="id"/> if it is still at <paramref name="version"/> (null: whatever it is).
    /// <paramref name="change"/> validates into its <see cref="Validation"/> and changes the entity; it may
    /// also answer by itself (a non-null result), in which case nothing is saved.
    /// </summary>
    public static async Task<Result<TRow>> UpdateAsync<TEntity, TRow>(
        AppDbContext db, EditRules<TEntity, TRow> rules, object id, long? version,
        Func<TEntity, Validation, Task<Result<TRow>?>> change, CancellationToken ct)
        where TEntity : class, IVersioned
    {
        var entity = await db.Set<TEntity>().FindAsync([id], ct);
        if (entity is null)
        {
            return Result<TRow>.NotFound(rules.NotFound(id));
        }

        if (version is not null && entity.Version != version)
        {
            return await StaleAsync(db, rules, id, ct);
        }

        var v = new Validation();
        if (await change(entity, v) is { } answer)
        {
            return answer;
        }

        return v.IsValid ? await SaveAsync(db, rules, entity, ct) : v.ToResult<TRow>();
    }

    /// <summary>Saves a new or changed entity (an unchanged one is answered as it is) and answers its row.</summary>
    public static async Task<Result<TRow>> SaveAsync<TEntity, TRow>(AppDbContext db, EditRules<TEntity, TRow> rules, TEntity entity, CancellationToken ct)
        where TEntity : class, IVersioned
    {
        var entry = db.Entry(entity);
        if (entry.State == EntityState.Unchanged)
        {
            return Result<TRow>.Ok(await rules.Read(db, entity, ct));
        }

        if (entry.State == EntityState.Modified)
        {
            rules.Touch?.Invoke(entity);
        }

        var key = entry.State == EntityState.Added ? null : entry.Metadata.FindPrimaryKey()!.Properties[0].PropertyInfo!.GetValue(entity);
        try
        {
            if (rules.AfterSave is null)
            {
                await db.SaveChangesAsync(ct);
            }
            else
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.SaveChangesAsync(ct);
                await rules.AfterSave(db, entity, ct);
                await tx.CommitAsync(ct);
            }
        }
        catch (DbUpdateConcurrencyException) when (key is not null)
        {
            return await StaleAsync(db, rules, key, ct);
        }
        catch (DbUpdateException e) when (rules.Duplicate is not null && DbErrors.IsUniqueViolation(e))
        {
            return await rules.Duplicate(entity, ct);
        }

        return Result<TRow>.Ok(await rules.Read(db, entity, ct));
    }

    /// <summary>Someone else changed (or deleted) the entity: a conflict carrying its current row.</summary>
    public static async Task<Result<TRow>> StaleAsync<TEntity, TRow>(AppDbContext db, EditRules<TEntity, TRow> rules, object id, CancellationToken ct)
        where TEntity : class, IVersioned
    {
        db.ChangeTracker.Clear();
        var fresh = await db.Set<TEntity>().FindAsync([id], ct);
        return fresh is null
            ? Result<TRow>.NotFound(rules.NotFound(id))
            : Result<TRow>.Conflict(rules.Stale, await rules.Read(db, fresh, ct));
    }
}
