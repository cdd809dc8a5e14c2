using System.Text.Json;
using System.Text.Json.Serialization;
using NodiRef.Admin.Features.Partners;

namespace NodiRef.Admin.Features.ReferralLinks;

public sealed record LinkPartnerDto(int Id, string Name, string? ExternalId);

public sealed record LinkDto(
    int Id,
    string Code,
    int PartnerId,
    int? ProjectId,
    string? TargetUrl,
    JsonElement? Metadata,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LinkPartnerDto? Partner { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ProjectRef? Project { get; init; }

    public static LinkDto From(LinkRow l, ListQuery? includes = null) =>
        new(l.Id, l.Code, l.PartnerId, l.Project?.Id, l.TargetUrl, ParseMetadata(l.Metadata), l.CreatedAt, l.UpdatedAt, l.Version)
        {
            Partner = includes?.Has(nameof(Partner)) == true ? new LinkPartnerDto(l.PartnerId, l.PartnerName, l.PartnerExternalId) : null,
            Project = includes?.Has(nameof(Project)) == true ? l.Project : null,
        };

    private static JsonElement? ParseMetadata(string? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(metadata);
        return doc.RootElement.Clone();
    }
}

public sealed record CreateLinkRequest(int? PartnerId, string? Code, Optional<int?> ProjectId, string? TargetUrl, JsonElement? Metadata);

public sealed record UpdateLinkRequest(Optional<int?> ProjectId, Optional<string?> TargetUrl, Optional<JsonElement?> Metadata, long? Version);

/// <summary>REST mapping of referral links: <c>/api/referral-links</c>.</summary>
public static class ReferralLinkEndpoints
{
    public static readonly ListSpec Spec = new(
        Filters: ["partner_id", "project_id", "code"],
        Sorts: [nameof(ReferralLink.Code), nameof(ReferralLink.CreatedAt), nameof(ReferralLink.UpdatedAt), nameof(ReferralLink.Partner), nameof(ReferralLink.Project), nameof(ReferralLink.TargetUrl)],
        Includes: [nameof(LinkDto.Partner), nameof(LinkDto.Project)]);

    public static void MapReferralLinkEndpoints(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/referral-links").WithTags("Referral links");
        links.MapGet("/", ListAsync).WithName("ListReferralLinks").WithSummary("List referral links")
            .WithListQuery(Spec).Produces<ApiList<LinkDto>>().ProducesValidationProblem();
        links.MapGet("/{id:int}", GetAsync).WithName("GetReferralLink").WithSummary("Get a referral link")
            .Produces<ApiOne<LinkDto>>().ProducesProblem(StatusCodes.Status404NotFound);
        links.MapPost("/", CreateAsync).WithName("CreateReferralLink")
            .WithSummary("Create a link: without a code one is generated; without project_id the partner's default project applies")
            .WithIdempotencyKey().Produces<ApiOne<LinkDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        links.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateReferralLink")
            .WithSummary("Change a link's target URL, metadata or (admin tokens only) project; past events keep their project")
            .WithIdempotencyKey().Produces<ApiOne<LinkDto>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        links.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteReferralLink").WithSummary("Delete a link that never recorded a click")
            .WithIdempotencyKey().Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Task<IResult> ListAsync(HttpContext http, ReferralLinkService service, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec,
            (query, v) => new LinkQuery(ApiFilters.Int(query, "partner_id", v), ApiFilters.Int(query, "project_id", v), query.Filter("code")),
            service.ListAsync,
            (query, rows, _) => Task.FromResult<IReadOnlyList<LinkDto>>(rows.Select(l => LinkDto.From(l, query)).ToList()), ct);

    private static async Task<IResult> GetAsync(int id, HttpContext http, ReferralLinkService service, CancellationToken ct)
    {
        var includes = ListQuery.Parse(http.Request.Query, Spec with { Filters = [], Sorts = [] });
        if (!includes.Succeeded)
        {
            return ApiResponses.Refused(includes);
        }

        var result = await service.GetAsync(id, ct);
        return result.Succeeded ? ApiResponses.One(LinkDto.From(result.Value!, includes.Value), http, result.Value!.Version) : ApiResponses.Problem(result);
    }

    private static async Task<IResult> CreateAsync(CreateLinkRequest body, HttpContext http, ReferralLinkService service, CancellationToken ct)
    {
        if (body.PartnerId is not { } partnerId)
        {
            return ApiResponses.Invalid(nameof(CreateLinkInput.PartnerId), "partner_id is required.");
        }

        if (MetadataText(body.Metadata) is { Error: { } error })
        {
            return ApiResponses.Invalid(nameof(CreateLinkInput.Metadata), error);
        }

        var input = new CreateLinkInput(partnerId, body.Code, body.ProjectId.Value, body.TargetUrl, MetadataText(body.Metadata).Text, UseDefaultProject: !body.ProjectId.IsSet);
        var result = await service.CreateAsync(input, ct);
        return result.Succeeded
            ? ApiResponses.Created(LinkDto.From(result.Value!), $"{ApiRoutes.Prefix}/referral-links/{result.Value!.Id}", http, result.Value.Version)
            : ApiResponses.Problem(result);
    }

    private static async Task<IResult> UpdateAsync(int id, UpdateLinkRequest body, HttpContext http, ReferralLinkService service, CancellationToken ct)
    {
        var metadata = MetadataText(body.Metadata.Value);
        if (metadata.Error is { } error)
        {
            return ApiResponses.Invalid(nameof(CreateLinkInput.Metadata), error);
        }

        return await ApiEdits.PatchAsync(http, body.Version, ct => service.GetAsync(id, ct), (l, version, ct) =>
        {
            var input = new UpdateLinkInput(
                body.ProjectId.IsSet ? body.ProjectId.Value : l.Project?.Id,
                body.TargetUrl.Or(l.TargetUrl),
                body.Metadata.IsSet ? metadata.Text : l.Metadata);
            return service.UpdateAsync(id, input, version, ct);
        }, l => LinkDto.From(l), l => l.Version, ct);
    }

    private static Task<IResult> DeleteAsync(int id, HttpContext http, ReferralLinkService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteAsync(id, version, ct), ct);

    // Metadata travels as a JSON object in the API and is stored as its text.
    private static (string? Text, string? Error) MetadataText(JsonElement? metadata) => metadata switch
    {
        null => (null, null),
        { ValueKind: JsonValueKind.Null } => (null, null),
        { ValueKind: JsonValueKind.Object } m => (m.GetRawText(), null),
        _ => (null, "metadata must be a JSON object, e.g. {\"campaign\": \"spring\"}."),
    };
}
