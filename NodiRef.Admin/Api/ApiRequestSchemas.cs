using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Tracking;

namespace NodiRef.Admin.Api;

/// <summary>
/// The request bodies as the OpenAPI document describes them. The generator marks every parameter of a
/// request record as required (and nullable) and knows nothing of <see cref="Optional{T}"/>; here each body
/// requires what its service requires, refuses other fields (as the API does), and has an example that
/// the API accepts.
/// </summary>
internal static class ApiRequestSchemas
{
    private sealed record Shape(string[] Required, string Example);

    private static readonly Dictionary<string, Shape> Requests = new(StringComparer.Ordinal)
    {
        [nameof(CreateProjectRequest)] = new(["name", "landing_url"], """{"name": "Shop", "landing_url": "https://shop.example.com/welcome"}"""),
        [nameof(UpdateProjectRequest)] = new([], """{"name": "Shop EU", "version": 3}"""),
        [nameof(CreatePartnerRequest)] = new(["name"], """{"name": "Ada Lovelace", "external_id": "user_42", "status": "active", "project_id": 1}"""),
        [nameof(UpdatePartnerRequest)] = new([], """{"name": "Ada King", "status": "inactive"}"""),
        [nameof(CreateLinkRequest)] = new(["partner_id"], """{"partner_id": 1, "code": "ada-spring", "project_id": 1, "target_url": "https://shop.example.com/spring", "metadata": {"campaign": "spring"}}"""),
        [nameof(UpdateLinkRequest)] = new([], """{"target_url": "https://shop.example.com/summer", "metadata": {"campaign": "summer"}}"""),
        [nameof(CreateRuleSetRequest)] = new(["name"], """{"name": "Spring 2027", "description": "10 % of every purchase", "starts_at": "2027-03-01T00:00:00Z", "ends_at": "2027-06-01T00:00:00Z", "scope": "project", "scope_id": 1, "is_active": true}"""),
        [nameof(UpdateRuleSetRequest)] = new([], """{"is_active": false}"""),
        [nameof(CreateActionRequest)] = new(["rule_set_id", "action_type", "reward_type", "reward_amount", "currency"], """{"rule_set_id": 1, "action_type": "purchase", "reward_type": "percentage", "reward_amount": 10, "max_cap": 50, "currency": "EUR"}"""),
        [nameof(UpdateActionRequest)] = new([], """{"reward_amount": 12.5}"""),
        [nameof(ReviewRequest)] = new([], """{"note": "Checked with the partner: a colleague's purchase."}"""),
        [nameof(RefundRequest)] = new([], """{"amount": 20, "note": "Partial refund of order 1001."}"""),
        [nameof(RewardMoveRequest)] = new([], """{"note": "Paid with the March payout."}"""),
        [nameof(ReferralRequest)] = new(["tracking_id"], """{"tracking_id": "0193b9c6-1f2e-7a4b-9c00-112233445566", "external_id": "user_42"}"""),
        [nameof(IdentifyRequest)] = new([], """{"external_id": "user_42"}"""),
        [nameof(ConvertRequest)] = new(["event_type", "payload"], """{"referral_id": "0193b9c6-9d3a-7c3e-8f00-5a1b2c3d4e5f", "event_type": "purchase", "payload": {"product_id": "plan-pro", "amount": 49.9, "currency": "EUR", "quantity": 1, "meta": {"order": "1001"}}, "event_id": "order-1001"}"""),
        [nameof(Features.Webhooks.WebhookEndpointRequest)] = new(["url"], """{"url": "https://api.example.com/webhooks/nodiref", "description": "Billing backend", "event_types": ["conversion.accepted", "reward.paid"], "is_enabled": true}"""),
        [nameof(Features.Webhooks.UpdateWebhookEndpointRequest)] = new([], """{"event_types": ["reward.paid"], "is_enabled": false}"""),
        [nameof(ConvertPayloadRequest)] = new([], """{"product_id": "plan-pro", "amount": 49.9, "currency": "EUR", "quantity": 1, "meta": {"order": "1001"}}"""),
    };

    /// <summary>The names of the request body schemas this describes (for tests and the document).</summary>
    public static IReadOnlyCollection<string> Names => Requests.Keys;

    public static Task Apply(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return Task.CompletedTask;
        }

        // A PATCH field is written as its value (absent = unchanged); the generator sees an opaque struct.
        foreach (var name in schemas.Keys.Where(k => k.StartsWith(OptionalPrefix, StringComparison.Ordinal)).ToList())
        {
            schemas[name] = OptionalSchema(name[OptionalPrefix.Length..], schemas, document);
        }

        if (schemas.TryGetValue("JsonElement", out var element) && element is OpenApiSchema json)
        {
            json.Type = JsonSchemaType.Object;
            json.Description = "A JSON object of your own keys and values.";
        }

        foreach (var (name, shape) in Requests)
        {
            if (!schemas.TryGetValue(name, out var found) || found is not OpenApiSchema schema)
            {
                continue;
            }

            schema.Required = new HashSet<string>(shape.Required, StringComparer.Ordinal);
            schema.AdditionalPropertiesAllowed = false;
            schema.Examples = [JsonNode.Parse(shape.Example)!];
            foreach (var field in shape.Required)
            {
                if (schema.Properties?.TryGetValue(field, out var property) == true)
                {
                    schema.Properties[field] = NotNull(property);
                }
            }
        }

        return Task.CompletedTask;
    }

    private const string OptionalPrefix = "OptionalOf";

    /// <summary>A required field takes a value: null is not one of its types.</summary>
    private static IOpenApiSchema NotNull(IOpenApiSchema property)
    {
        if (property is OpenApiSchema { OneOf: { Count: > 0 } oneOf } && oneOf.Where(s => s.Type != JsonSchemaType.Null).ToList() is [var only])
        {
            return only;
        }

        if (property is OpenApiSchema { Type: { } type } plain)
        {
            plain.Type = type & ~JsonSchemaType.Null;
        }

        return property;
    }

    private static OpenApiSchema OptionalSchema(string inner, IDictionary<string, IOpenApiSchema> schemas, OpenApiDocument document) => inner switch
    {
        "string" => new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
        "int" => new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
        "long" => new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int64" },
        "decimal" => new OpenApiSchema { Type = JsonSchemaType.Number | JsonSchemaType.Null, Format = "double" },
        "boolean" => new OpenApiSchema { Type = JsonSchemaType.Boolean | JsonSchemaType.Null },
        "DateTime" => new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time" },
        "JsonElement" => new OpenApiSchema { Type = JsonSchemaType.Object | JsonSchemaType.Null },
        _ when schemas.ContainsKey(inner) => new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, new OpenApiSchemaReference(inner, document)] },
        _ => new OpenApiSchema(),
    };
}
