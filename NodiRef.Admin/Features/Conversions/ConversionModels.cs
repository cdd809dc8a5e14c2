using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Conversions;

/// <summary>The payload of a conversion as sent to <c>POST /v1/convert</c>.</summary>
public sealed record ConversionPayload(
    string? ProductId = null,
    decimal? Amount = null,
    string? Currency = null,
    string? Category = null,
    int? Quantity = null,
    string? Plan = null,
    string? SubscriptionId = null,
    string? Source = null,
    string? Meta = null,
    Guid? ConversionId = null,
    string? OriginalEventId = null)
{
    /// <summary>A payload field's error key: its path from the input, "Payload.Amount" (the API writes it payload.amount).</summary>
    public static string Path(string field) => $"{nameof(ConversionInput.Payload)}.{field}";
}

/// <summary>
/// A conversion to record: which referral (by id, or by the user's external id, with the project
/// when the same external id exists in several), what happened, and the sender's idempotency key.
/// </summary>
public sealed record ConversionInput(
    Guid? ReferralId,
    string? ExternalId,
    int? ProjectId,
    string? EventType,
    ConversionPayload? Payload,
    string? EventKey,
    string RequestHash,
    ClientInfo Client);

/// <summary>What a convert call answers; a replay of the same key answers the same.</summary>
public sealed record ConversionReceipt(Conversion Conversion, bool Replayed);

public sealed record ConversionRow(
    long Id,
    Guid PublicId,
    DateTime CreatedAt,
    string EventType,
    decimal Amount,
    string Currency,
    string? ProductId,
    string? Plan,
    int PartnerId,
    string PartnerName,
    int? ProjectId,
    string? ProjectName,
    string LinkCode,
    Guid ReferralPublicId,
    string? ReferralExternalId,
    ConversionStatus Status,
    string? Reason,
    string? ReviewNote,
    string? ReviewedBy,
    DateTime? ProcessedAt,
    Guid? ReversesPublicId,
    string? IpAddress,
    string? UserAgent,
    long Version);

/// <summary>Filters of the conversions list; dates are whole UTC days, inclusive.</summary>
public sealed record ConversionQuery(
    int? ProjectId = null,
    int? PartnerId = null,
    ConversionStatus? Status = null,
    string? EventType = null,
    DateOnly? From = null,
    DateOnly? To = null) : PageRequest;
