using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Features.Conversions;

public sealed record ConvertPayloadRequest(
    string? ProductId,
    decimal? Amount,
    string? Currency,
    string? Category,
    int? Quantity,
    string? Plan,
    string? SubscriptionId,
    string? Source,
    JsonElement? Meta,
    Guid? ConversionId,
    string? OriginalEventId);

public sealed record ConvertRequest(
    Guid? ReferralId,
    string? ExternalId,
    int? ProjectId,
    string? EventType,
    ConvertPayloadRequest? Payload,
    string? EventId,
    string? UserAgent,
    string? IpAddress);

public sealed record ConvertResponse(Guid ConversionId, ConversionStatus Status);

public sealed record ConversionDto(
    Guid Id,
    DateTime CreatedAt,
    string EventType,
    decimal Amount,
    string Currency,
    string? ProductId,
    string? Plan,
    Guid ReferralId,
    string? ReferralExternalId,
    int PartnerId,
    int? ProjectId,
    string Code,
    ConversionStatus Status,
    string? Reason,
    string? ReviewNote,
    string? ReviewedBy,
    DateTime? ProcessedAt,
    Guid? ReversesConversionId,
    long Version) : IVersionedDto
{
    public static ConversionDto From(ConversionRow c) =>
        new(c.PublicId, c.CreatedAt, c.EventType, c.Amount, c.Currency, c.ProductId, c.Plan, c.ReferralPublicId, c.ReferralExternalId,
            c.PartnerId, c.ProjectId, c.LinkCode, c.Status, c.Reason, c.ReviewNote, c.ReviewedBy, c.ProcessedAt, c.ReversesPublicId, c.Version);
}

public sealed record ReviewRequest(string? Note, long? Version) : IVersionedRequest;

public sealed record RefundRequest(decimal? Amount, string? Note);

/// <summary>GET /api/conversions: the event filters and the event type.</summary>
public sealed record ConversionFilters : EventFilters<ConversionStatus>, IListFilters<ConversionQuery>
{
    [FromQuery(Name = "filter[event_type]")] public string? EventType { get; init; }

    public ConversionQuery ToQuery(Validation errors)
    {
        var eventType = EventType?.Trim().ToLowerInvariant();
        errors.Check(eventType is null || ConversionTypes.All.Contains(eventType), "filter[event_type]", $"filter[event_type] must be one of: {string.Join(", ", ConversionTypes.All)}.");
        return Read(errors, (project, partner, status, from, to) => new ConversionQuery(project, partner, status, eventType, from, to));
    }
}

/// <summary>
/// <c>POST /v1/convert</c> (public, idempotent by <c>Idempotency-Key</c> or <c>event_id</c>) and the
/// private <c>/api/conversions</c>: list, read, accept, reject, refund.
/// </summary>
public static class ConversionEndpoints
{
    public static void MapConvert(this RouteGroupBuilder v1)
    {
        v1.MapPost("/convert", ConvertAsync).WithName("Convert").WithIdempotencyKey()
            .RequireAuthorization(TrackingEndpoints.SenderPolicy)
            .WithSummary("From your backend, with an API token (Tracking role, or Operator/Admin): record a conversion of a referred user (purchase, subscription, or a refund of an earlier conversion); processed within a second. Send Idempotency-Key (or event_id) so a retry is recorded once; keys are per token")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    public static void MapConversionEndpoints(this RouteGroupBuilder api)
    {
        var conversions = api.MapGroup("/conversions").WithTags("Conversions");
        conversions.MapGet("/", ListAsync).WithName("ListConversions")
            .WithSummary("List conversions, newest first: filter by partner_id, project_id, status, event_type, date_from, date_to (UTC days)")
            .ProducesValidationProblem();
        conversions.MapGet("/{id:guid}", GetAsync).WithName("GetConversion").WithSummary("Get a conversion").ProducesProblem(StatusCodes.Status404NotFound);
        conversions.MapChange("/{id:guid}/accept", "AcceptConversion", "Accept a pending or suspicious conversion (optional note): its rewards are computed",
            (ConversionService service, Guid id, ReviewRequest body, long? version, CancellationToken ct) => service.AcceptAsync(id, body.Note, version, ct), ConversionDto.From);
        conversions.MapChange("/{id:guid}/reject", "RejectConversion", "Reject a pending or suspicious conversion with a note: no reward",
            (ConversionService service, Guid id, ReviewRequest body, long? version, CancellationToken ct) => service.RejectAsync(id, body.Note, version, ct), ConversionDto.From);
        conversions.MapPost("/{id:guid}/refund", RefundAsync).WithName("RefundConversion")
            .WithSummary("Record a refund of a conversion (all that is left, or amount): its rewards are reversed by negative ledger entries")
            .WithIdempotencyKey().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<Accepted<ConvertResponse>, ProblemHttpResult>> ConvertAsync(
        ConvertRequest body, HttpContext http, ConversionService service, IOptions<TrackingOptions> options, CancellationToken ct)
    {
        string? header = http.Request.Headers[IdempotencyMiddleware.Header];
        if (!string.IsNullOrWhiteSpace(header) && !string.IsNullOrWhiteSpace(body.EventId) && header.Trim() != body.EventId.Trim())
        {
            return ApiResponses.Invalid(nameof(body.EventId), "event_id and the Idempotency-Key header differ: send one key, or the same in both.", "The idempotency key is ambiguous.");
        }

        // Only reached with a valid token (SenderPolicy): its forwarded details count, and the service checks its role.
        TrackingEndpoints.UseCaller(http);
        var client = ClientInfo.From(http, options.Value, callerHasToken: true).WithReported(body.IpAddress, body.UserAgent, trusted: true);
        var p = body.Payload;
        if (p?.Meta is { } meta && meta.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return ApiResponses.Invalid(ConversionPayload.Path(nameof(p.Meta)), "meta must be a JSON object.");
        }

        var payload = p is null ? null : new ConversionPayload(
            p.ProductId, p.Amount, p.Currency, p.Category, p.Quantity, p.Plan, p.SubscriptionId, p.Source,
            p.Meta is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null, p.ConversionId, p.OriginalEventId);
        var input = new ConversionInput(body.ReferralId, body.ExternalId, body.ProjectId, body.EventType, payload,
            string.IsNullOrWhiteSpace(header) ? body.EventId : header, Hash(body), client);
        var result = await service.RecordAsync(input, ct);
        if (!result.Succeeded)
        {
            return ApiResponses.Problem(result);
        }

        var receipt = result.Value!;
        if (receipt.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Accepted($"{ApiRoutes.Prefix}/conversions/{receipt.Conversion.PublicId}", new ConvertResponse(receipt.Conversion.PublicId, ConversionStatus.Pending));
    }

    /// <summary>What identifies "the same conversion" for a reused key: the request as sent, minus where it came from.</summary>
    private static string Hash(ConvertRequest body) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body with { UserAgent = null, IpAddress = null, EventId = null }, ApiJson.Options))));

    private static Task<Results<Ok<ApiList<ConversionDto>>, ProblemHttpResult>> ListAsync([AsParameters] ConversionFilters filters, HttpContext http, ConversionService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, ConversionDto.From, ct);

    private static async Task<Results<Ok<ApiOne<ConversionDto>>, ProblemHttpResult>> GetAsync(Guid id, ConversionService service, CancellationToken ct) =>
        ApiResponses.One(await service.GetAsync(id, ct), ConversionDto.From);

    private static async Task<Results<Created<ApiOne<ConversionDto>>, ProblemHttpResult>> RefundAsync(Guid id, RefundRequest body, ConversionService service, CancellationToken ct) =>
        ApiResponses.Created(await service.RefundAsync(id, body.Amount, body.Note, ct), ConversionDto.From, c => $"{ApiRoutes.Prefix}/conversions/{c.Id}");
}
