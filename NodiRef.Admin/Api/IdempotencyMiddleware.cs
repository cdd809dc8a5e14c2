using System.Security.Cryptography;
using NodiRef.Admin.Features.ApiTokens;

namespace NodiRef.Admin.Api;

/// <summary>
/// Writes sent with an <c>Idempotency-Key</c> header run once per client and key: a retry with the
/// same request gets the first answer back without a second write; the same key with another
/// request is refused with 422. Records live in the database, so every instance honours them.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 255;
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a first request holds its key without answering. Requests answer in milliseconds; a key held
    /// longer belongs to a process that died (kill -9, power loss), and a retry may take it over.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext http)
    {
        string? key = http.Request.Headers[Header];
        // The private API only: POST /v1/convert keeps its keys with the conversion itself (event_id, and
        // original_event_id for refunds), compared without the visitor's IP and user agent.
        if (string.IsNullOrEmpty(key) || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || !http.Request.Path.StartsWithSegments(ApiRoutes.Prefix)
            || http.User.FindFirst(ApiTokenAuthenticationHandler.TokenIdClaim)?.Value is not { } tokenClaim)
        {
            await next(http);
            return;
        }

        if (key.Length > MaxKeyLength)
        {
            await ApiResponses.Problem(StatusCodes.Status400BadRequest, "Bad request", $"{Header} must be at most {MaxKeyLength} characters.").ExecuteAsync(http);
            return;
        }

        var tokenId = int.Parse(tokenClaim, System.Globalization.CultureInfo.InvariantCulture);
        var hash = await HashRequestAsync(http);
        var ct = http.RequestAborted;
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var record = new IdempotencyRecord { TokenId = tokenId, Key = key, RequestHash = hash, CreatedAt = now, LeasedUntil = now + Lease };
        db.IdempotencyRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            var first = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.TokenId == tokenId && r.Key == key, ct);
            if (first.StatusCode != 0 || first.RequestHash != hash || !await TakeOverAsync(db, first, now, ct))
            {
                await ReplayAsync(http, first, hash);
                return;
            }

            // The first request's process died before it answered (its lease ran out): this retry runs it now.
            record = first;
            record.LeasedUntil = now + Lease;
            db.IdempotencyRecords.Attach(record);
        }

        // Run the request, keeping a copy of what it answers.
        var original = http.Response.Body;
        using var copy = new MemoryStream();
        http.Response.Body = copy;
        try
        {
            await next(http);
        }
        catch
        {
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            http.Response.Body = original;
        }

        copy.Position = 0;
        await copy.CopyToAsync(original, ct);

        if (http.Response.StatusCode >= 500)
        {
            // A server error is not an answer: let a retry run again.
            await db.IdempotencyRecords.Where(r => r.Id == record.Id).ExecuteDeleteAsync(CancellationToken.None);
            return;
        }

        record.StatusCode = http.Response.StatusCode;
        record.ContentType = http.Response.ContentType;
        record.Location = http.Response.Headers.Location;
        record.ETag = http.Response.Headers.ETag;
        record.Body = copy.ToArray();
        await db.SaveChangesAsync(CancellationToken.None);

        if (Random.Shared.Next(200) == 0)
        {
            var expired = clock.GetUtcNow().UtcDateTime - Retention;
            var removed = await db.IdempotencyRecords.Where(r => r.CreatedAt < expired).ExecuteDeleteAsync(CancellationToken.None);
            logger.LogDebug("Removed {Count} expired idempotency records.", removed);
        }
    }

    /// <summary>
    /// Takes over a key whose first request holds it no longer (its lease ended without an answer): one
    /// conditional update, so of several retries at once exactly one runs the request.
    /// </summary>
    private static async Task<bool> TakeOverAsync(AppDbContext db, IdempotencyRecord first, DateTime now, CancellationToken ct)
    {
        var legacyStart = now - Lease;
        var leased = now + Lease;
        return await db.IdempotencyRecords
            .Where(r => r.Id == first.Id && r.StatusCode == 0
                && (r.LeasedUntil != null ? r.LeasedUntil < now : r.CreatedAt < legacyStart))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LeasedUntil, leased), ct) == 1;
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord first, string hash)
    {
        if (first.RequestHash != hash)
        {
            await ApiResponses.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency key reused",
                $"{Header} \"{first.Key}\" was already used for a different request. Use a new key for a new request.").ExecuteAsync(http);
            return;
        }

        if (first.StatusCode == 0)
        {
            http.Response.Headers.RetryAfter = "1";
            await ApiResponses.Problem(StatusCodes.Status409Conflict, "Request in progress",
                $"A request with {Header} \"{first.Key}\" is still being processed. Retry shortly.").ExecuteAsync(http);
            return;
        }

        http.Response.StatusCode = first.StatusCode;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (first.ContentType is not null)
        {
            http.Response.ContentType = first.ContentType;
        }

        if (first.Location is not null)
        {
            http.Response.Headers.Location = first.Location;
        }

        if (first.ETag is not null)
        {
            http.Response.Headers.ETag = first.ETag;
        }

        if (first.Body is { Length: > 0 } body)
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    private static async Task<string> HashRequestAsync(HttpContext http)
    {
        http.Request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        http.Request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
