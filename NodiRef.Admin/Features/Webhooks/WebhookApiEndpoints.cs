using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NodiRef.Admin.Features.Webhooks;

public sealed record WebhookEndpointDto(
    int Id, string Url, string? Description, IReadOnlyList<string> EventTypes, bool IsEnabled, bool IsFailing, int ConsecutiveFailures,
    DateTime? FailingSince, DateTime? DisabledAt, string? DisabledReason, DateTime? PreviousSecretUntil, DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public static WebhookEndpointDto From(WebhookEndpointRow e) =>
        new(e.Id, e.Url, e.Description, e.EventTypes, e.IsEnabled, e.IsFailing, e.ConsecutiveFailures, e.FailingSince, e.DisabledAt, e.DisabledReason,
            e.PreviousSecretUntil, e.CreatedAt, e.UpdatedAt, e.Version);
}

/// <summary>An endpoint with its signing secret: answered only when it is made and when its secret is rotated.</summary>
public sealed record WebhookEndpointSecretDto(WebhookEndpointDto Endpoint, string Secret)
{
    public static WebhookEndpointSecretDto From(WebhookEndpointWithSecret e) => new(WebhookEndpointDto.From(e.Endpoint), e.Secret);
}

public sealed record WebhookDeliveryDto(
    long Id, string MessageId, string EventType, DateTime OccurredAt, WebhookDeliveryStatus Status, int Attempts, DateTime? NextAttemptAt,
    DateTime? DeliveredAt, int? LastStatusCode, int? LastLatencyMs, string? LastResponse)
{
    public static WebhookDeliveryDto From(WebhookDeliveryRow d) =>
        new(d.Id, d.MessageId, d.EventType, d.OccurredAt, d.Status, d.Attempts, d.NextAttemptAt, d.DeliveredAt, d.LastStatusCode, d.LastLatencyMs, d.LastResponse);
}

public sealed record WebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? EventTypes, bool? IsEnabled);

/// <summary>A PATCH: fields left out stay as they are (event_types: [] means every event).</summary>
public sealed record UpdateWebhookEndpointRequest(Optional<string?> Url, Optional<string?> Description, IReadOnlyList<string>? EventTypes, Optional<bool?> IsEnabled, long? Version);

/// <summary>GET /api/webhook-endpoints: no filters, oldest first.</summary>
[ListSorts]
public sealed record WebhookEndpointFilters : IListFilters<PageRequest>
{
    public PageRequest ToQuery(Validation errors) => new();
}

/// <summary>GET /api/webhook-endpoints/{id}/deliveries: by status, newest first.</summary>
[ListSorts]
public sealed record WebhookDeliveryFilters : IListFilters<WebhookDeliveryQuery>
{
    [FromQuery(Name = "filter[status]")] public Filter<WebhookDeliveryStatus>? Status { get; init; }

    /// <summary>The endpoint comes from the route (<see cref="WebhookApiEndpoints"/>).</summary>
    public WebhookDeliveryQuery ToQuery(Validation errors) => new(0, Status?.Value);
}

/// <summary>Webhook endpoints and their deliveries: <c>/api/webhook-endpoints</c>, <c>/api/webhook-deliveries</c> (admin tokens).</summary>
public static class WebhookApiEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");
        endpoints.MapGet("/", ListAsync).WithName("ListWebhookEndpoints").WithSummary("List webhook endpoints").ProducesValidationProblem();
        endpoints.MapGet("/{id:int}", GetAsync).WithName("GetWebhookEndpoint").WithSummary("Get a webhook endpoint").ProducesProblem(StatusCodes.Status404NotFound);
        endpoints.MapPost("/", CreateAsync).WithName("CreateWebhookEndpoint")
            .WithSummary("Add a webhook endpoint; the answer holds its signing secret, shown this once")
            .WithIdempotencyKey().ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        endpoints.MapPatch("/{id:int}", UpdateAsync).WithName("UpdateWebhookEndpoint").WithSummary("Change a webhook endpoint's URL, description, event types or enabled state")
            .WithIdempotencyKey().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        endpoints.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteWebhookEndpoint").WithSummary("Delete a webhook endpoint and its delivery log").WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapPost("/{id:int}/rotate-secret", RotateAsync).WithName("RotateWebhookSecret")
            .WithSummary("Make a new signing secret (answered once); the old one keeps signing alongside for the overlap")
            .WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapPost("/{id:int}/test", TestAsync).WithName("SendWebhookTest").WithSummary("Send a webhook.test event to this endpoint only")
            .WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        endpoints.MapGet("/{id:int}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries, newest first: filter by status (pending, succeeded, failed)").ProducesValidationProblem();
        endpoints.MapPost("/{id:int}/redeliver-failed", RedeliverFailedAsync).WithName("RedeliverFailedWebhooks")
            .WithSummary("Send every failed delivery of this endpoint again").WithIdempotencyKey().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/webhook-deliveries/{id:long}/redeliver", RedeliverAsync).WithTags("Webhooks").WithName("RedeliverWebhook")
            .WithSummary("Send one delivery again now (same webhook-id)").WithIdempotencyKey()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static Task<Results<Ok<ApiList<WebhookEndpointDto>>, ProblemHttpResult>> ListAsync([AsParameters] WebhookEndpointFilters filters, HttpContext http, WebhookService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, service.EndpointsPageAsync, WebhookEndpointDto.From, ct);

    private static Task<Results<Ok<ApiOne<WebhookEndpointDto>>, ProblemHttpResult>> GetAsync(int id, HttpContext http, WebhookService service, CancellationToken ct) =>
        ApiLists.OneAsync(http, ListSpec.Of<WebhookEndpointFilters>(), ct => service.GetEndpointAsync(id, ct), (e, _) => WebhookEndpointDto.From(e), ct);

    private static async Task<Results<Created<ApiOne<WebhookEndpointSecretDto>>, ProblemHttpResult>> CreateAsync(WebhookEndpointRequest body, WebhookService service, CancellationToken ct) =>
        ApiResponses.Created(await service.CreateEndpointAsync(new WebhookEndpointInput(body.Url, body.Description, body.EventTypes, body.IsEnabled ?? true), ct),
            WebhookEndpointSecretDto.From, e => $"{ApiRoutes.Prefix}/webhook-endpoints/{e.Endpoint.Id}");

    private static Task<Results<Ok<ApiOne<WebhookEndpointDto>>, ProblemHttpResult>> UpdateAsync(int id, UpdateWebhookEndpointRequest body, HttpContext http, WebhookService service, CancellationToken ct) =>
        ApiEdits.PatchAsync(http, body.Version, ct => service.GetEndpointAsync(id, ct),
            (e, version, ct) => service.UpdateEndpointAsync(id, new WebhookEndpointInput(
                body.Url.Or(e.Url), body.Description.Or(e.Description), body.EventTypes ?? e.EventTypes, body.IsEnabled.Or(e.IsEnabled) ?? e.IsEnabled), version, ct),
            WebhookEndpointDto.From, e => e.Version, ct);

    private static Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(int id, HttpContext http, WebhookService service, CancellationToken ct) =>
        ApiEdits.DeleteAsync(http, (version, ct) => service.DeleteEndpointAsync(id, version, ct), ct);

    private static async Task<Results<Ok<ApiOne<WebhookEndpointSecretDto>>, ProblemHttpResult>> RotateAsync(int id, WebhookService service, CancellationToken ct) =>
        ApiResponses.One(await service.RotateSecretAsync(id, null, ct), WebhookEndpointSecretDto.From);

    private static async Task<Results<Ok<ApiOne<WebhookTestDto>>, ProblemHttpResult>> TestAsync(int id, WebhookService service, CancellationToken ct) =>
        ApiResponses.One(await service.SendTestAsync(id, ct), messageId => new WebhookTestDto(messageId));

    private static Task<Results<Ok<ApiList<WebhookDeliveryDto>>, ProblemHttpResult>> DeliveriesAsync(int id, [AsParameters] WebhookDeliveryFilters filters, HttpContext http, WebhookService service, CancellationToken ct) =>
        ApiLists.ListAsync(http, filters, (query, c) => service.DeliveriesAsync(query with { EndpointId = id }, c), WebhookDeliveryDto.From, ct);

    private static async Task<Results<Ok<ApiOne<WebhookRedeliveryDto>>, ProblemHttpResult>> RedeliverFailedAsync(int id, WebhookService service, CancellationToken ct) =>
        ApiResponses.One(await service.RedeliverFailedAsync(id, ct), count => new WebhookRedeliveryDto(count));

    private static async Task<Results<Ok<ApiOne<WebhookRedeliveryDto>>, ProblemHttpResult>> RedeliverAsync(long id, WebhookService service, CancellationToken ct) =>
        ApiResponses.One(await service.RedeliverAsync(id, ct), _ => new WebhookRedeliveryDto(1));
}

/// <summary>The message id of a queued test event (its <c>webhook-id</c>).</summary>
public sealed record WebhookTestDto(string MessageId);

/// <summary>How many deliveries will be sent again.</summary>
public sealed record WebhookRedeliveryDto(int Redelivered);
