using System.Text.Json.Serialization;
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
    long Version)
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

/// <summary>
/// REST mapping of partners: <c>/api/partners</c>. Every single-partner route also works by the
/// partner's external id under <c>/api/partners/external/{external_id}</c>.
/// </summary>
public static class PartnerEndpoints
{
    public static readonly ListSpec Spec = new(
        Filters: ["external_id", "status", "project_id", "name", "search"],
        Sorts: [nameof(Partner.Name), nameof(Partner.ExternalId), nameof(Partner.Status), nameof(Partner.CreatedAt), nameof(Partner.UpdatedAt)],
        Includes: [nameof(PartnerDto.ReferralLinks), nameof(PartnerDto.Projects)]);

    private static readonly ListSpec IncludesOnly = Spec with { Filters = [], Sorts = [] };

    private delegate Task<Result<PartnerDetails>> Lookup(PartnerService service, CancellationToken ct);

    public static void MapPartnerEndpoints(this RouteGroupBuilder api)
    {
        var partners = api.MapGroup("/partners").WithTags("Partners");
        partners.MapGet("/", ListAsync).WithName("ListPartners").WithSummary("List partners")
            .WithListQuery(Spec).Produces<ApiList<PartnerDto>>().ProducesValidationProblem();
        partners.MapPost("/", CreateAsync).WithName("CreatePartner")
            .WithSummary("Create a partner; with project_id its first referral link is generated in that project")
            .WithIdempotencyKey().Produces<ApiOne<PartnerDto>>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        // Every single-partner route, by NodiRef id and by the id in the customer's system.
        partners.MapGet("/{id:int}", (int id, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) => GetAsync(ById(id), http, service, links, ct))
            .AsPartnerRoute("GetPartner", "Get a partner", write: false).Produces<ApiOne<PartnerDto>>();
        partners.MapGet("/external/{externalId}", (string externalId, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) => GetAsync(ByExternalId(externalId), http, service, links, ct))
            .AsPartnerRoute("GetPartnerByExternalId", "Get a partner by external id", write: false).Produces<ApiOne<PartnerDto>>();
        partners.MapPatch("/{id:int}", (int id, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) => UpdateAsync(ById(id), body, http, service, ct))
            .AsPartnerRoute("UpdatePartner", "Change a partner's name, external id, status or default project").Produces<ApiOne<PartnerDto>>().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        partners.MapPatch("/external/{externalId}", (string externalId, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) => UpdateAsync(ByExternalId(externalId), body, http, service, ct))
            .AsPartnerRoute("UpdatePartnerByExternalId", "Change a partner, found by external id").Produces<ApiOne<PartnerDto>>().ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        partners.MapDelete("/{id:int}", (int id, HttpContext http, PartnerService service, CancellationToken ct) => DeleteAsync(ById(id), http, service, ct))
            .AsPartnerRoute("DeletePartner", "Delete a partner that was never used; a used partner can only be deactivated (409)").Produces(StatusCodes.Status204NoContent);
        partners.MapDelete("/external/{externalId}", (string externalId, HttpContext http, PartnerService service, CancellationToken ct) => DeleteAsync(ByExternalId(externalId), http, service, ct))
            .AsPartnerRoute("DeletePartnerByExternalId", "Delete a never-used partner, found by external id").Produces(StatusCodes.Status204NoContent);
        partners.MapPost("/{id:int}/activate", (int id, HttpContext http, PartnerService service, CancellationToken ct) => SetStatusAsync(ById(id), PartnerStatus.Active, http, service, ct))
            .AsPartnerRoute("ActivatePartner", "Activate a partner: its later events count again").Produces<ApiOne<PartnerDto>>();
        partners.MapPost("/external/{externalId}/activate", (string externalId, HttpContext http, PartnerService service, CancellationToken ct) => SetStatusAsync(ByExternalId(externalId), PartnerStatus.Active, http, service, ct))
            .AsPartnerRoute("ActivatePartnerByExternalId", "Activate a partner, found by external id").Produces<ApiOne<PartnerDto>>();
        partners.MapPost("/{id:int}/deactivate", (int id, HttpContext http, PartnerService service, CancellationToken ct) => SetStatusAsync(ById(id), PartnerStatus.Inactive, http, service, ct))
            .AsPartnerRoute("DeactivatePartner", "Deactivate a partner: its later clicks, conversions and rewards are discarded").Produces<ApiOne<PartnerDto>>();
        partners.MapPost("/external/{externalId}/deactivate", (string externalId, HttpContext http, PartnerService service, CancellationToken ct) => SetStatusAsync(ByExternalId(externalId), PartnerStatus.Inactive, http, service, ct))
            .AsPartnerRoute("DeactivatePartnerByExternalId", "Deactivate a partner, found by external id").Produces<ApiOne<PartnerDto>>();
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

    private static Task<IResult> ListAsync(HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct) =>
        ApiLists.HandleAsync(http, Spec,
            (query, v) => new PartnerQuery(query.Filter("search"), ApiFilters.Enum<PartnerStatus>(query, "status", v), ApiFilters.Int(query, "project_id", v), query.Filter("external_id"), query.Filter("name")),
            service.ListAsync, async (query, partners, ct) =>
            {
                var embedded = await LinksAsync(query, partners.Select(p => p.Id).ToList(), links, ct);
                return (IReadOnlyList<PartnerDto>)partners.Select(p => PartnerDto.From(p, query, embedded)).ToList();
            }, ct);

    private static async Task<IResult> GetAsync(Lookup lookup, HttpContext http, PartnerService service, ReferralLinkService links, CancellationToken ct)
    {
        var includes = ListQuery.Parse(http.Request.Query, IncludesOnly);
        if (!includes.Succeeded)
        {
            return ApiResponses.Refused(includes);
        }

        var result = await lookup(service, ct);
        if (!result.Succeeded)
        {
            return ApiResponses.Problem(result);
        }

        var p = result.Value!.Partner;
        var embedded = await LinksAsync(includes.Value!, [p.Id], links, ct);
        return ApiResponses.One(PartnerDto.From(p, includes.Value, embedded), http, p.Version);
    }

    private static async Task<IResult> CreateAsync(CreatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct)
    {
        var result = await service.CreateAsync(new CreatePartnerInput(body.Name, body.ExternalId, body.Status ?? PartnerStatus.Active, body.ProjectId), ct);
        return result.Succeeded
            ? ApiResponses.Created(PartnerDto.From(result.Value!.Partner), $"{ApiRoutes.Prefix}/partners/{result.Value.Partner.Id}", http, result.Value.Partner.Version)
            : ApiResponses.Problem(result);
    }

    private static Task<IResult> UpdateAsync(Lookup lookup, UpdatePartnerRequest body, HttpContext http, PartnerService service, CancellationToken ct) =>
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

    private static Task<IResult> DeleteAsync(Lookup lookup, HttpContext http, PartnerService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, async (version, ct) =>
        {
            var current = await lookup(service, ct);
            return current.Succeeded ? await service.DeleteAsync(current.Value!.Partner.Id, version, ct) : current.As<bool>();
        }, ct);

    private static async Task<IResult> SetStatusAsync(Lookup lookup, PartnerStatus status, HttpContext http, PartnerService service, CancellationToken ct)
    {
        var current = await lookup(service, ct);
        if (!current.Succeeded)
        {
            return ApiResponses.Problem(current);
        }

        var result = await service.SetStatusAsync(current.Value!.Partner.Id, status, null, ct);
        return result.Succeeded ? ApiResponses.One(PartnerDto.From(result.Value!.Partner), http, result.Value.Partner.Version) : ApiResponses.Problem(result);
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
