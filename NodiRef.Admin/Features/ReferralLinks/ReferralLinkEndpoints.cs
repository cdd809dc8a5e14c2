using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
    long Version) : IVersionedDto
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

/// <summary>GET /api/referral-links: its filters, sort fields and includes.</summary>
[ListSorts(nameof(ReferralLink.Code), nameof(ReferralLink.CreatedAt), nameof(ReferralLink.UpdatedAt), nameof(ReferralLink.Partner), nameof(ReferralLink.Project), nameof(ReferralLink.TargetUrl))]
[ListIncludes(nameof(LinkDto.Partner), nameof(LinkDto.Project))]
public sealed record LinkFilters : IListFilters<LinkQuery>
{
    [FromQuery(Name = "filter[partner_id]")] public Filter<int>? PartnerId { get; init; }

    [FromQuery(Name = "filter[project_id]")] public Filter<int>? ProjectId { get; init; }

    [FromQuery(Name = "filter[code]")] public string? Code { get; init; }

    public LinkQuery ToQuery(Validation errors) => new(PartnerId?.Value, ProjectId?.Value, Code);
}

/// <summary>REST mapping of referral links: <c>/api/referral-links</c>.</summary>
public static class ReferralLinkEndpoints
{
    public static void MapReferralLinkEndpoints(this RouteGroupBuilder api)
    {
        var links = api.MapGroup("/referral-links").WithTags("Referral links");
        links.MapGet("/", ListAsync).WithName("ListReferralLinks").WithSummary("List referral links").ProducesValidationProblem();
        links.MapGet("/{id:int}", GetAsync).WithName("GetReferralLink").WithSummary("Get a referral link").ProducesProblem(StatusCodes.Status404NotFound);
        links.MapPost("/", CreateAsync).WithName("CreateReferralLink")
            .WithSummary("Create a link: without a code one is generated; without project_id the partner's default project applies")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        links.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateReferralLink")
            .WithSummary("Change a link's target URL, metadata or (admin tokens only) project; past events keep their project")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        links.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteReferralLink").WithSummary("Delete a link that never recorded a click")
            .WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Task<Results<Ok<ApiList<LinkDto>>, ProblemHttpResult>> ListAsync([AsParameters] LinkFilters filters, HttpContext http, ReferralLinkService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync,
            (query, rows, _) => Task.FromResult<IReadOnlyList<LinkDto>>(rows.Select(l => LinkDto.From(l, query)).ToList()), ct);

    private static Task<Results<Ok<ApiOne<LinkDto>>, ProblemHttpResult>> GetAsync(int id, HttpContext http, ReferralLinkService service, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<LinkFilters>(), ct => service.GetAsync(id, ct), LinkDto.From, ct);

    private static async Task<Results<Created<ApiOne<LinkDto>>, ProblemHttpResult>> CreateAsync(CreateLinkRequest body, ReferralLinkService service, CancellationToken ct)
    {
        if (body.PartnerId is not { } partnerId)
        {
            return ApiResponses.Invalid(nameof(CreateLinkInput.PartnerId), "partner_id is required.");
        }

        var metadata = MetadataText(body.Metadata);
        if (metadata.Error is { } error)
        {
            return ApiResponses.Invalid(nameof(CreateLinkInput.Metadata), error);
        }

        var input = new CreateLinkInput(partnerId, body.Code, body.ProjectId.Value, body.TargetUrl, metadata.Text, UseDefaultProject: !body.ProjectId.IsSet);
        return ApiResponses.Created(await service.CreateAsync(input, ct), l => LinkDto.From(l), l => $"{ApiRoutes.Prefix}/referral-links/{l.Id}");
    }

    private static async Task<Results<Ok<ApiOne<LinkDto>>, ProblemHttpResult>> UpdateAsync(int id, UpdateLinkRequest body, HttpContext http, ReferralLinkService service, CancellationToken ct)
    {
        var metadata = MetadataText(body.Metadata.Value);
        if (metadata.Error is { } error)
        {
            return ApiResponses.Invalid(nameof(UpdateLinkInput.Metadata), error);
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

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext http, ReferralLinkService service, CancellationToken ct) =>
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
