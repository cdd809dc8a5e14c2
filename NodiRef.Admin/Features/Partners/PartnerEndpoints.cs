using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodiRef.Admin.Features.ReferralLinks;

namespace NodiRef.Admin.Features.Partners;

public sealed record PartnerDto(
    int Id,
    string Name,
    string? ExternalId,
    PartnerStatus Status,
    int? DefaultProjectId,
    IReadOnlyList<int> ProjectIds,
    int LinkCount,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    long Version) : IVersionedDto
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LinkDto>? ReferralLinks { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ProjectRef>? Projects { get; init; }

    public static PartnerDto From(PartnerRow p, ListQuery? includes = null, IReadOnlyList<LinkRow>? links = null) =>
        new(p.Id, p.Name, p.ExternalId, p.Status, p.DefaultProject?.Id, p.Projects.Select(x => x.Id).ToList(), p.LinkCount, p.CreatedAt, p.UpdatedAt, p.Version)
        {
            Projects = includes?.Has(nameof(Projects)) == true ? p.Projects : null,
            ReferralLinks = includes?.Has(nameof(ReferralLinks)) == true ? (links ?? []).Where(l => l.PartnerId == p.Id).Select(l => LinkDto.From(l)).ToList() : null,
        };
}

public sealed record CreatePartnerRequest(string? Name, string? ExternalId, PartnerStatus? Status, int? ProjectId);

public sealed record UpdatePartnerRequest(
    Optional<string?> Name,
    Optional<string?> ExternalId,
    Optional<PartnerStatus?> Status,
    Optional<int?> DefaultProjectId,
    long? Version);

/// <summary>GET /api/partners: its filters, sort fields and includes.</summary>
[ListSorts(nameof(Partner.Name), nameof(Partner.ExternalId), nameof(Partner.Status), nameof(Partner.CreatedAt), nameof(Partner.UpdatedAt))]
[ListIncludes(nameof(PartnerDto.ReferralLinks), nameof(PartnerDto.Projects))]
public sealed record PartnerFilters : IListFilters<PartnerQuery>
{
    [FromQuery(Name = "filter[external_id]")] public string? ExternalId { get; init; }

    [FromQuery(Name = "filter[status]")] public Filter<PartnerStatus>? Status { get; init; }

    [FromQuery(Name = "filter[project_id]")] public Filter<int>? ProjectId { get; init; }

    [FromQuery(Name = "filter[name]")] public string? Name { get; init; }

    [FromQuery(Name = "filter[search]")] public string? Search { get; init; }

    public PartnerQuery ToQuery(Validation errors) => new(Search, Status?.Value, ProjectId?.Value, ExternalId, Name);
}

/// <summary>
/// REST mapping of partners: <c>/api/partners</c>. Every single-partner route also works by the
/// partner's external id under <c>/api/partners/external/{external_id}</c>.
/// </summary>
public static class PartnerEndpoints
{
    private delegate Task<Result<PartnerDetails>> Lookup(PartnerService service, CancellationToken ct);

    public static void MapPartnerEndpoints(this RouteGroupBuilder api)
    {
        var partners = api.MapGroup("/partners").WithTags("Partners");
        partners.MapGet("/", ListAsync).WithName("ListPartners").WithSummary("List partners").ProducesValidationProblem();
        partners.MapPost("/", CreateAsync).WithName("CreatePartner")
            .WithSummary("Create a partner; with project_id its first referral link is generated in that project")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        // Every single-partner route, by NodiRef id and by the id in the customer's system.
        partners.MapGet("/{id:int}", (int id, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) => GetAsync(ById(id), http, service, links, ct))
            .AsPartnerRoute("GetPartner", "Get a partner", write: false);
        partners.MapGet("/external/{externalId}", (string externalId, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) => GetAsync(ByExternalId(externalId), http, service, links, ct))
            .AsPartnerRoute("GetPartnerByExternalId", "Get a partner by external id", write: false);
        partners.MapPatch("/{id:int}", (int id, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) => UpdateAsync(ById(id), body, http, service, ct))
            .AsPartnerRoute("UpdatePartner", "Change a partner's name, external id, status or default project").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        partners.MapPatch("/external/{externalId}", (string externalId, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) => UpdateAsync(ByExternalId(externalId), body, http, service, ct))
            .AsPartnerRoute("UpdatePartnerByExternalId", "Change a partner, found by external id").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        partners.MapDelete("/{id:int}", (int id, HttpContext http, PartnerService service, CancellationToken ct) => DeleteAsync(ById(id), http, service, ct))
            .AsPartnerRoute("DeletePartner", "Delete a partner that was never used; a used partner can only be deactivated (409)");
        partners.MapDelete("/external/{externalId}", (string externalId, HttpContext http, PartnerService service, CancellationToken ct) => DeleteAsync(ByExternalId(externalId), http, service, ct))
            .AsPartnerRoute("DeletePartnerByExternalId", "Delete a never-used partner, found by external id");
        partners.MapPost("/{id:int}/activate", (int id, PartnerService service, CancellationToken ct) => SetStatusAsync(ById(id), PartnerStatus.Active, service, ct))
            .AsPartnerRoute("ActivatePartner", "Activate a partner: its later events count again");
        partners.MapPost("/external/{externalId}/activate", (string externalId, PartnerService service, CancellationToken ct) => SetStatusAsync(ByExternalId(externalId), PartnerStatus.Active, service, ct))
            .AsPartnerRoute("ActivatePartnerByExternalId", "Activate a partner, found by external id");
        partners.MapPost("/{id:int}/deactivate", (int id, PartnerService service, CancellationToken ct) => SetStatusAsync(ById(id), PartnerStatus.Inactive, service, ct))
            .AsPartnerRoute("DeactivatePartner", "Deactivate a partner: its later clicks, conversions and rewards are discarded");
        partners.MapPost("/external/{externalId}/deactivate", (string externalId, PartnerService service, CancellationToken ct) => SetStatusAsync(ByExternalId(externalId), PartnerStatus.Inactive, service, ct))
            .AsPartnerRoute("DeactivatePartnerByExternalId", "Deactivate a partner, found by external id");
    }

    private static Lookup ById(int id) => (service, ct) => service.GetAsync(id, ct);

    // Routing keeps an encoded slash (%2F) as is: an external id such as "org/42" arrives that way.
    private static Lookup ByExternalId(string externalId) =>
        (service, ct) => service.GetByExternalIdAsync(externalId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase), ct);

    private static RouteHandlerBuilder AsPartnerRoute(this RouteHandlerBuilder route, string name, string summary, bool write = true)
    {
        route.WithName(name).WithSummary(summary).ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem();
        return write ? route.WithIdempotencyKey().ProducesProblem(StatusCodes.Status409Conflict) : route;
    }

    private static Task<Results<Ok<ApiList<PartnerDto>>, ProblemHttpResult>> ListAsync(
        [AsParameters] PartnerFilters filters, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.ListAsync, async (query, partners, ct) =>
        {
            var embedded = await LinksAsync(query, partners.Select(p => p.Id).ToList(), links, ct);
            return (IReadOnlyList<PartnerDto>)partners.Select(p => PartnerDto.From(p, query, embedded)).ToList();
        }, ct);

    private static Task<Results<Ok<ApiOne<PartnerDto>>, ProblemHttpResult>> GetAsync(Lookup lookup, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<PartnerFilters>(), ct => lookup(service, ct), async (details, query, ct) =>
            PartnerDto.From(details.Partner, query, await LinksAsync(query, [details.Partner.Id], links, ct)), ct);

    private static async Task<Results<Created<ApiOne<PartnerDto>>, ProblemHttpResult>> CreateAsync(CreatePartnerRequest body, PartnerService service, CancellationToken ct) =>
        ApiResponses.Created(
            await service.CreateAsync(new CreatePartnerInput(body.Name, body.ExternalId, body.Status ?? PartnerStatus.Active, body.ProjectId), ct),
            d => PartnerDto.From(d.Partner), p => $"{ApiRoutes.Prefix}/partners/{p.Id}");

    private static Task<Results<Ok<ApiOne<PartnerDto>>, ProblemHttpResult>> UpdateAsync(Lookup lookup, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => lookup(service, ct), (current, version, ct) =>
        {
            var p = current.Partner;
            if (body.Status is { IsSet: true, Value: null })
            {
                return Task.FromResult(Result<PartnerDetails>.Invalid(nameof(UpdatePartnerInput.Status), "Status must be active or inactive."));
            }

            var input = new UpdatePartnerInput(
                body.Name.Or(p.Name),
                body.ExternalId.Or(p.ExternalId),
                body.Status.Value ?? p.Status,
                body.DefaultProjectId.IsSet ? body.DefaultProjectId.Value : p.DefaultProject?.Id);
            return service.UpdateAsync(p.Id, input, version, ct);
        }, d => PartnerDto.From(d.Partner), d => d.Partner.Version, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Lookup lookup, HttpContext http, PartnerService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, async (version, ct) =>
        {
            var current = await lookup(service, ct);
            return current.Succeeded ? await service.DeleteAsync(current.Value!.Partner.Id, version, ct) : current.As<bool>();
        }, ct);

    private static async Task<Results<Ok<ApiOne<PartnerDto>>, ProblemHttpResult>> SetStatusAsync(Lookup lookup, PartnerStatus status, PartnerService service, CancellationToken ct)
    {
        var current = await lookup(service, ct);
        return ApiResponses.One(current.Succeeded ? await service.SetStatusAsync(current.Value!.Partner.Id, status, null, ct) : current, d => PartnerDto.From(d.Partner));
    }

    private static async Task<IReadOnlyList<LinkRow>?> LinksAsync(ListQuery query, IReadOnlyCollection<int> partnerIds, ReferralLinkService links, CancellationToken ct)
    {
        if (!query.Has(nameof(PartnerDto.ReferralLinks)) || partnerIds.Count == 0)
        {
            return null;
        }

        var result = await links.ListOfPartnersAsync(partnerIds, ct);
        return result.Value ?? [];
    }
}
