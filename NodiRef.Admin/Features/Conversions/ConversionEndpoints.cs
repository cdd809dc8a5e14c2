using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
    long Version)
{
    public static ConversionDto From(ConversionRow c) =>
        new(c.PublicId, c.CreatedAt, c.EventType, c.Amount, c.Currency, c.ProductId, c.Plan, c.ReferralPublicId, c.ReferralExternalId,
            c.PartnerId, c.ProjectId, c.LinkCode, c.Status, c.Reason, c.ReviewNote, c.ReviewedBy, c.ProcessedAt, c.ReversesPublicId, c.Version);
}

public sealed record ReviewRequest(string? Note, long? Version);

public sealed record RefundRequest(decimal? Amount, string? Note);

/// <summary>
/// <c>POST /v1/convert</c> (public, idempotent by <c>Idempotency-Key</c> or <c>event_id</c>) and the
/// private <c>/api/conversions</c>: list, read, accept, reject, refund.
/// </summary>
public static class ConversionEndpoints
{
    public static readonly ListSpec Spec = new(Filters: [.. ApiFilters.EventFilters, "event_type"], Sorts: [nameof(Conversion.CreatedAt)], Includes: []);

    public static void MapConvert(this RouteGroupBuilder v1)
    {
        v1.MapPost("/convert", ConvertAsync).WithName("Convert").WithIdempotencyKey()
            .RequireAuthorization(TrackingEndpoints.SenderPolicy)
            .WithSummary("From your backend, with an API token (Tracking role, or Operator/Admin): record a conversion of a referred user (purchase, subscription, or a refund of an earlier conversion); processed within a second. Send Idempotency-Key (or event_id) so a retry is recorded once; keys are per token")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .Produces<ConvertResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    public static void MapConversionEndpoints(this RouteGroupBuilder api)
    {
        var conversions = api.MapGroup("/conversions").WithTags("Conversions");
        conversions.MapGet("/", ListAsync).WithName("ListConversions")
            .WithSummary("List conversions, newest first: filter by partner_id, project_id, status, event_type, date_from, date_to (UTC days)")
            .WithListQuery(Spec).Produces<ApiList<ConversionDto>>().ProducesValidationProblem();
        conversions.MapGet("/{id:guid}", GetAsync).WithName("GetConversion").WithSummary("Get a conversion")
            .Produces<ApiOne<ConversionDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        conversions.MapPost("/{id:guid}/accept", (Guid id, ReviewRequest body, HttpContext http, ConversionService service, CancellationToken ct) =>
                ReviewAsync(http, body, (version, c) => service.AcceptAsync(id, body.Note, version, c), ct))
            .WithName("AcceptConversion").WithSummary("Accept a pending or suspicious conversion (optional note): its rewards are computed")
            .WithIdempotencyKey().Produces<ApiOne<ConversionDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        conversions.MapPost("/{id:guid}/reject", (Guid id, ReviewRequest body, HttpContext http, ConversionService service, CancellationToken ct) =>
                ReviewAsync(http, body, (version, c) => service.RejectAsync(id, body.Note, version, c), ct))
            .WithName("RejectConversion").WithSummary("Reject a pending or suspicious conversion with a note: no reward")
            .WithIdempotencyKey().Produces<ApiOne<ConversionDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        conversions.MapPost("/{id:guid}/refund", RefundAsync).WithName("RefundConversion")
            .WithSummary("Record a refund of a conversion (all that is left, or amount): its rewards are reversed by negative ledger entries")
            .WithIdempotencyKey().Produces<ApiOne<ConversionDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ConvertAsync(ConvertRequest body, HttpContext http, ConversionService service, IOptions<TrackingOptions> options, CancellationToken ct)
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

        http.Response.Headers.Location = $"{ApiRoutes.Prefix}/conversions/{receipt.Conversion.PublicId}";
        return TypedResults.Json(new ConvertResponse(receipt.Conversion.PublicId, ConversionStatus.Pending), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>What identifies "the same conversion" for a reused key: the request as sent, minus where it came from.</summary>
    private static string Hash(ConvertRequest body) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body with { UserAgent = null, IpAddress = null, EventId = null }, ApiJson.Options))));

    private static Task<IResult> ListAsync(HttpContext http, ConversionService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec, (query, v) =>
        {
            var (partnerId, projectId, status, from, to) = ApiFilters.Events<ConversionStatus>(query, v);
            var eventType = query.Filter("event_type")?.Trim().ToLowerInvariant();
            v.Check(eventType is null || ConversionTypes.All.Contains(eventType), "filter[event_type]", $"filter[event_type] must be one of: {string.Join(", ", ConversionTypes.All)}.");
            return new ConversionQuery(projectId, partnerId, status, eventType, from, to);
        }, service.ListAsync, ConversionDto.From, ct);

    private static async Task<IResult> GetAsync(Guid id, HttpContext http, ConversionService service, CancellationToken ct)
    {
        var result = await service.GetAsync(id, ct);
        return result.Succeeded ? ApiResponses.One(ConversionDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static async Task<IResult> ReviewAsync(HttpContext http, ReviewRequest body, Func<long?, CancellationToken, Task<Result<ConversionRow>>> review, CancellationToken ct)
    {
        var expected = ApiResponses.ExpectedVersion(http, body.Version);
        if (!expected.Succeeded)
        {
            return ApiResponses.Refused(expected);
        }

        var result = await review(expected.Value, ct);
        return result.Succeeded ? ApiResponses.One(ConversionDto.From(result.Value!), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static async Task<IResult> RefundAsync(Guid id, RefundRequest body, HttpContext http, ConversionService service, CancellationToken ct)
    {
        var result = await service.RefundAsync(id, body.Amount, body.Note, ct);
        return result.Succeeded
            ? ApiResponses.Created(ConversionDto.From(result.Value!), $"{ApiRoutes.Prefix}/conversions/{result.Value!.PublicId}", http, result.Value.Version)
            : ApiResponses.Problem(result);
    }
}
