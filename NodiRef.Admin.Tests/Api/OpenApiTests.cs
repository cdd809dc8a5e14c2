using System.Net;
using System.Text.Json;

namespace NodiRef.Admin.Tests.Api;

/// <summary>The OpenAPI document and the reference page: public, complete, and describing the conventions.</summary>
public sealed class OpenApiTests(ApiFactory api) : ApiTest(api)
{
    private static readonly string[] Operations =
    [
        "get /api/projects", "post /api/projects", "get /api/projects/{id}", "patch /api/projects/{id}",
        "post /api/projects/{id}/archive", "post /api/projects/{id}/restore",
        "get /api/partners", "post /api/partners",
        "get /api/partners/{id}", "patch /api/partners/{id}", "delete /api/partners/{id}",
        "post /api/partners/{id}/activate", "post /api/partners/{id}/deactivate",
        "get /api/partners/external/{externalId}", "patch /api/partners/external/{externalId}", "delete /api/partners/external/{externalId}",
        "post /api/partners/external/{externalId}/activate", "post /api/partners/external/{externalId}/deactivate",
        "get /api/referral-links", "post /api/referral-links",
        "get /api/referral-links/{id}", "patch /api/referral-links/{id}", "delete /api/referral-links/{id}",
        "get /api/clicks", "get /api/referrals", "get /api/analytics", "get /api/audit-events",
        "get /api/webhook-endpoints", "post /api/webhook-endpoints", "get /api/webhook-endpoints/{id}", "patch /api/webhook-endpoints/{id}",
        "delete /api/webhook-endpoints/{id}", "post /api/webhook-endpoints/{id}/rotate-secret", "post /api/webhook-endpoints/{id}/test",
        "get /api/webhook-endpoints/{id}/deliveries", "post /api/webhook-endpoints/{id}/redeliver-failed", "post /api/webhook-deliveries/{id}/redeliver",
        "get /api/conversions", "get /api/conversions/{id}", "post /api/conversions/{id}/accept",
        "post /api/conversions/{id}/reject", "post /api/conversions/{id}/refund",
        "get /api/rewards", "get /api/rewards/{id}", "post /api/rewards/{id}/approve", "post /api/rewards/{id}/pay", "post /api/rewards/{id}/reverse",
        "get /api/rewards/rule-sets", "post /api/rewards/rule-sets", "get /api/rewards/rule-sets/{id}", "patch /api/rewards/rule-sets/{id}", "delete /api/rewards/rule-sets/{id}",
        "get /api/rewards/actions", "post /api/rewards/actions", "get /api/rewards/actions/{id}", "patch /api/rewards/actions/{id}", "delete /api/rewards/actions/{id}",
        "get /v1/{code}/hit", "post /v1/referral", "post /v1/identify", "post /v1/convert",
    ];

    public static TheoryData<string, string[], bool> Lists => new()
    {
        { "/api/projects", ["status", "name"], false },
        { "/api/partners", ["external_id", "status", "project_id", "name", "search"], true },
        { "/api/referral-links", ["partner_id", "project_id", "code"], true },
        { "/api/clicks", ["partner_id", "project_id", "status", "date_from", "date_to"], false },
        { "/api/referrals", ["partner_id", "project_id", "status", "date_from", "date_to"], false },
        { "/api/conversions", ["partner_id", "project_id", "status", "date_from", "date_to", "event_type"], false },
        { "/api/rewards", ["partner_id", "project_id", "status", "date_from", "date_to", "currency"], true },
        { "/api/rewards/rule-sets", ["is_active", "scope", "name"], true },
        { "/api/rewards/actions", ["rule_set_id", "action_type"], false },
        { "/api/audit-events", ["entity_type", "entity_id", "actor", "action", "date_from", "date_to"], false },
    };

    private async Task<JsonElement> DocumentAsync()
    {
        using var anonymous = Api.Anonymous();
        var answer = await anonymous.GetApiAsync("/openapi/v1.json");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.Equal("application/json", answer.ContentType);
        return answer.Json;
    }

    private static IEnumerable<(string Key, JsonElement Operation)> OperationsOf(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(op => op.Name is "get" or "post" or "put" or "patch" or "delete")
                .Select(op => ($"{op.Name} {path.Name}", op.Value)));

    private static List<string> ParameterNames(JsonElement operation, string location) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.Str("in") == location).Select(p => p.Str("name")).ToList()
            : [];

    [Fact]
    public async Task The_document_is_public_and_lists_every_api_operation_and_nothing_else()
    {
        var document = await DocumentAsync();

        Assert.StartsWith("3.", document.Str("openapi"), StringComparison.Ordinal);
        Assert.Equal(Operations.Order(StringComparer.Ordinal), OperationsOf(document).Select(o => o.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task List_operations_document_their_filters_paging_sorting_and_includes(string path, string[] filters, bool hasIncludes)
    {
        var document = await DocumentAsync();
        var list = document.GetProperty("paths").GetProperty(path).GetProperty("get");

        var query = ParameterNames(list, "query");

        Assert.Equal(filters.Select(f => $"filter[{f}]").Order(StringComparer.Ordinal), query.Where(q => q.StartsWith("filter[", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Superset(new HashSet<string>(["page[number]", "page[size]", "page", "item_per_page", "sort"]), query.ToHashSet());
        Assert.Equal(hasIncludes, query.Contains("include"));
        var pageSize = list.GetProperty("parameters").EnumerateArray().Single(p => p.Str("name") == "page[size]");
        Assert.Contains("100", pageSize.Str("description"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_operation_documents_its_success_answer_and_every_answer_with_a_body_its_schema()
    {
        var document = await DocumentAsync();

        foreach (var (key, operation) in OperationsOf(document))
        {
            var success = operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(success.Count > 0, $"{key} documents no success answer");
            foreach (var answer in success.Where(r => r.Name != "204"))
            {
                Assert.True(answer.Value.TryGetProperty("content", out var content) && content.GetProperty("application/json").TryGetProperty("schema", out _), $"{key} {answer.Name} has no schema");
            }
        }

        var one = document.GetProperty("paths").GetProperty("/api/rewards/{id}/approve").GetProperty("post").GetProperty("responses").GetProperty("200");
        Assert.EndsWith("/ApiOneOfRewardDto", one.GetProperty("content").GetProperty("application/json").GetProperty("schema").Str("$ref"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task List_filters_are_documented_as_text(string path, string[] filters, bool hasIncludes)
    {
        _ = hasIncludes;
        var document = await DocumentAsync();
        var parameters = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Where(p => p.Str("name").StartsWith("filter[", StringComparison.Ordinal)).ToList();

        Assert.Equal(filters.Length, parameters.Count);
        Assert.All(parameters, p => Assert.Equal("string", p.GetProperty("schema").Str("type")));
        Assert.All(parameters, p => Assert.Contains(p.Str("name")["filter[".Length..^1], p.Str("description"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_write_operation_documents_the_idempotency_key_header_and_reads_do_not()
    {
        var document = await DocumentAsync();

        foreach (var (key, operation) in OperationsOf(document).Where(o => o.Key.Contains(" /api/", StringComparison.Ordinal)))
        {
            var headers = ParameterNames(operation, "header");
            Assert.True(key.StartsWith("get ", StringComparison.Ordinal) != headers.Contains("Idempotency-Key"), $"{key}: {string.Join(", ", headers)}");
        }
    }

    [Fact]
    public async Task A_bearer_security_scheme_is_declared_and_required()
    {
        var document = await DocumentAsync();

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.Str("type"));
        Assert.Equal("bearer", scheme.Str("scheme"));
        var requirement = Assert.Single(document.GetProperty("security").EnumerateArray());
        Assert.True(requirement.TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task Create_operations_document_201_and_the_error_answers()
    {
        var document = await DocumentAsync();

        foreach (var path in new[] { "/api/projects", "/api/partners", "/api/referral-links" })
        {
            var responses = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("responses");
            foreach (var status in new[] { "201", "400", "401", "403", "409" })
            {
                Assert.True(responses.TryGetProperty(status, out _), $"POST {path} does not document {status}");
            }
        }
    }

    [Fact]
    public async Task The_reference_page_is_public()
    {
        using var anonymous = Api.Anonymous();

        var entry = await anonymous.GetApiAsync("/api-reference");
        var answer = await anonymous.GetApiAsync("/api-reference/");

        // The bare path only adds the trailing slash; it does not send anonymous readers to the login.
        Assert.True(entry.Status is HttpStatusCode.OK or HttpStatusCode.Found, entry.ToString());
        Assert.DoesNotContain("Account/Login", entry.Location ?? "", StringComparison.Ordinal);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{answer} -> {answer.Location}");
        Assert.Equal("text/html", answer.ContentType);
        // Scalar resolves the source against the site root: /openapi/v1.json, the public document.
        Assert.Contains("\"url\":\"openapi/v1.json\"", answer.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetApiAsync("/api-reference/scalar.js")).Status);
    }
}
