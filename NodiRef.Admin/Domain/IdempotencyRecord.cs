namespace NodiRef.Admin.Domain;

/// <summary>
/// The first answer to a write sent with an <c>Idempotency-Key</c>: a retry with the same key and
/// body gets it back without a second write. Kept in the database so every app instance sees it.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }

    /// <summary>Who sent it (the API token id): keys are scoped per client.</summary>
    public int TokenId { get; set; }

    public string Key { get; set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";

    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }

    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// While the first request runs (<see cref="StatusCode"/> 0), until when it holds the key; a retry after
    /// that time (the first one's process died) takes the key over instead of waiting for ever.
    /// </summary>
    public DateTime? LeasedUntil { get; set; }
}
