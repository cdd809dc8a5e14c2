using System.Net;
using System.Text.Json;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// The request bodies of the OpenAPI document: a field is required only when the service requires it,
/// optional fields are optional, other fields are refused, and every example is a body the API accepts.
/// </summary>
public sealed class OpenApiRequestBodyTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>What each body's service really requires (see the services' validation).</summary>
    public static TheoryData<string, string[]> Required => new()
    {
        { "CreateProjectRequest", ["landing_url", "name"] },
        { "UpdateProjectRequest", [] },
        { "CreatePartnerRequest", ["name"] },
        { "UpdatePartnerRequest", [] },
        { "CreateLinkRequest", ["partner_id"] },
        { "UpdateLinkRequest", [] },
        { "CreateRuleSetRequest", ["name"] },
        { "UpdateRuleSetRequest", [] },
        { "CreateActionRequest", ["action_type", "currency", "reward_amount", "reward_type", "rule_set_id"] },
        { "UpdateActionRequest", [] },
        { "ReviewRequest", [] },
        { "RefundRequest", [] },
        { "RewardMoveRequest", [] },
        { "ReferralRequest", ["tracking_id"] },
        { "IdentifyRequest", [] },
        { "ConvertRequest", ["event_type", "payload"] },
        { "ConvertPayloadRequest", [] },
        { "WebhookEndpointRequest", ["url"] },
        { "UpdateWebhookEndpointRequest", [] },
    };

    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = Api.Anonymous();
        var answer = await anonymous.GetApiAsync("/openapi/v1.json");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json;
    }

    private static JsonElement Schemas(JsonElement document) => document.GetProperty("components").GetProperty("schemas");

    private static List<string> RequiredOf(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal).ToList() : [];

    [Fact]
    public async Task A_partner_create_requires_exactly_its_name()
    {
        var partner = Schemas(await DocumentAsync()).GetProperty("CreatePartnerRequest");

        Assert.Equal(["name"], RequiredOf(partner));
        Assert.Equal("string", partner.GetProperty("properties").GetProperty("name").GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Each_body_requires_what_its_service_requires_refuses_other_fields_and_has_a_valid_example(string name, string[] required)
    {
        var document = await DocumentAsync();
        var schema = Schemas(document).GetProperty(name);

        Assert.Equal(required.Order(StringComparer.Ordinal), RequiredOf(schema));
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        var examples = schema.GetProperty("examples").EnumerateArray().ToList();
        Assert.NotEmpty(examples);
        foreach (var example in examples)
        {
            var problems = Validate(document, schema, example, "");
            Assert.True(problems.Count == 0, $"{name}'s example {example}: {string.Join("; ", problems)}");
        }
    }

    [Fact]
    public async Task Every_request_body_of_every_operation_is_one_of_the_described_bodies()
    {
        var document = await DocumentAsync();
        var bodies = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(op => op.Value.TryGetProperty("requestBody", out _))
            .Select(op => op.Value.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").Str("$ref").Split('/')[^1])
            .Distinct()
            .ToList();

        Assert.NotEmpty(bodies);
        Assert.All(bodies, body => Assert.Contains(body, Required.Select(r => r.Data.Item1)));
    }

    [Fact]
    public async Task Patch_fields_are_described_as_their_values_not_as_opaque_objects()
    {
        var schemas = Schemas(await DocumentAsync());

        foreach (var optional in schemas.EnumerateObject().Where(s => s.Name.StartsWith("OptionalOf", StringComparison.Ordinal)))
        {
            Assert.True(optional.Value.TryGetProperty("type", out _) || optional.Value.TryGetProperty("oneOf", out _), $"{optional.Name} describes no value: {optional.Value}");
        }

        var name = schemas.GetProperty("OptionalOfstring").GetProperty("type").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains("string", name);
    }

    [Fact]
    public async Task The_examples_of_the_create_bodies_are_accepted_by_the_api()
    {
        var schemas = Schemas(await DocumentAsync());
        var project = schemas.GetProperty("CreateProjectRequest").GetProperty("examples")[0].GetRawText();

        var created = (await Admin.PostApiAsync("/api/projects", project)).AssertOne(HttpStatusCode.Created);

        // The partner example names project 1, which is the project just created only on a fresh database: point it at this one.
        var partner = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(schemas.GetProperty("CreatePartnerRequest").GetProperty("examples")[0].GetRawText())!;
        partner["project_id"] = JsonSerializer.SerializeToElement(created.Int("id"));
        partner["external_id"] = JsonSerializer.SerializeToElement(Unique("user_"));
        (await Admin.PostApiAsync("/api/partners", JsonSerializer.Serialize(partner))).AssertOne(HttpStatusCode.Created);
    }

    /// <summary>Problems of <paramref name="value"/> against <paramref name="schema"/>: missing or null required fields, unknown fields, wrong types or enum values.</summary>
    private static List<string> Validate(JsonElement document, JsonElement schema, JsonElement value, string at)
    {
        schema = Resolve(document, schema, value.ValueKind == JsonValueKind.Null);
        var problems = new List<string>();
        var types = TypesOf(schema);
        if (types.Count > 0 && !types.Contains(JsonType(value)) && !(JsonType(value) == "integer" && types.Contains("number")))
        {
            problems.Add($"{at}: {JsonType(value)} is not {string.Join("|", types)}");
            return problems;
        }

        if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.GetRawText() == value.GetRawText()))
        {
            problems.Add($"{at}: {value} is not one of {values}");
        }

        if (value.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties))
        {
            return problems;
        }

        foreach (var required in RequiredOf(schema))
        {
            if (!value.TryGetProperty(required, out var field) || field.ValueKind == JsonValueKind.Null)
            {
                problems.Add($"{at}{required} is required but missing or null");
            }
        }

        foreach (var field in value.EnumerateObject())
        {
            if (!properties.TryGetProperty(field.Name, out var fieldSchema))
            {
                problems.Add($"{at}{field.Name} is not a field of this body");
                continue;
            }

            problems.AddRange(Validate(document, fieldSchema, field.Value, $"{at}{field.Name}."));
        }

        return problems;
    }

    private static JsonElement Resolve(JsonElement document, JsonElement schema, bool isNull)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Resolve(document, Schemas(document).GetProperty(reference.GetString()!.Split('/')[^1]), isNull);
        }

        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var options = oneOf.EnumerateArray().ToList();
            var pick = isNull ? options.FirstOrDefault(o => TypesOf(o).Contains("null")) : options.FirstOrDefault(o => !TypesOf(o).Contains("null") || TypesOf(o).Count > 1);
            return Resolve(document, pick.ValueKind == JsonValueKind.Undefined ? options[0] : pick, isNull);
        }

        return schema;
    }

    private static List<string> TypesOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
        : [type.GetString()!];

    private static string JsonType(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
