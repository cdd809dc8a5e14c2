using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Tests.Features.Rewards;
using NodiRef.Admin.Tests.Support;
using NodiRef.Admin.Tests.Features.Tracking;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// Walks every operation of <c>/openapi/v1.json</c> (path and query parameters, request bodies) with
/// malformed and hostile input, anonymously and with a token of each role: wrong types, huge and negative
/// numbers, control and bidirectional characters, 100,000-character strings, far pages and dates, unknown
/// fields, deep nesting, oversized bodies (with a length and chunked). No answer may be a 5xx, and a
/// refused request (4xx) may not change a row of any table. Deterministic: one seed, one order.
/// </summary>
public sealed class ApiFuzzTests(ApiFactory api) : ApiTest(api)
{
    private const int Seed = 20_261_203;

    /// <summary>Hostile values drawn per path parameter, query parameter and body field: bounds the run.</summary>
    private const int ValuesPerPathParameter = 12;
    private const int ValuesPerQueryParameter = 6;
    private const int ValuesPerField = 12;

    private static readonly string Long = new('x', 100_000);

    private static readonly string[] Identities = ["anonymous", Roles.Admin, Roles.Operator, Roles.Viewer, Roles.Tracking];

    /// <summary>A request to send: what it is (for the failure message), who sends it, and whether only "no 5xx" can be asserted.</summary>
    private sealed record Case(string Operation, string Description, string Identity, HttpMethod Method, string Url, Func<HttpContent?> Content, bool OnlyNo5xx = false);

    private sealed record Seeded(int ProjectId, int PartnerId, string ExternalId, int LinkId, string Code, Guid TrackingId, Guid ReferralId, string ReferralExternalId,
        Guid ConversionId, long RewardId, int RuleSetId, int ActionId, int WebhookEndpointId);

    // Values for path parameters, written as they go on the wire. No NUL in a path: Kestrel refuses such a
    // request line before the app sees it (and the test server cannot even build one).
    private static readonly string[] PathValues =
    [
        "0", "-1", "2147483648", "9223372036854775808", "1e400", "1.5", "abc", "%1F", "a%01b", "%E2%80%AE", "%E2%81%A6x",
        "%ED%A0%80", "%FF", "00000000-0000-0000-0000-000000000000", "%20", "..", "x%2Fy", Long, "null", "%7B%7D",
    ];

    private static readonly string[] QueryValues =
    [
        "", "abc", "-1", "0", "1.5", "1e400", "2147483647", "2147483648", "9223372036854775808", "-9223372036854775809", "99999999999",
        "%00", "a%00b", "%01%02", "%0A", "%09", "%E2%80%AE", "%E2%81%A7x", "%ED%A0%80", "%FF%FE", Long,
        "9999-12-31", "0001-01-01", "2026-02-30", "10000-01-01", "-0001-01-01", "true", "null", "[]", "{}", "-", "--name", ",,,", "%2C", "name,-name",
    ];

    private static readonly string[] HostileStrings =
    [
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\u0001\"", "\"\\t\"", "\"line\\nbreak\"", "\"\\u001B[31m\"", "\"\\u202Eevil\"", "\"\\u2066x\\u2069\"",
        "\"\\ud800\"", "\"\\udfff x\"", JsonSerializer.Serialize(Long), "\"\"", "\"   \"", "\"9999-12-31T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"",
        "\"10000-01-01T00:00:00Z\"", "\"1e400\"", "\"-1\"", "\"00000000-0000-0000-0000-000000000000\"", "\"javascript:alert(1)\"",
    ];

    private static readonly string[] HostileNumbers =
    [
        "1e400", "-1e400", "1e-400", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "2147483648", "-2147483649",
        "-1", "0", "-0", "1.5", "0.00001", "79228162514264337593543950336", "1e28", "123456789012345678901234567890.123",
    ];

    private static readonly string[] WrongTypes = ["null", "true", "false", "[]", "[1]", "{}", "{\"a\":1}", "\"x\"", "42"];

    [Fact]
    public async Task Every_operation_answers_hostile_input_without_a_server_error_and_refusals_write_nothing()
    {
        var ct = Ct;
        var watch = Stopwatch.StartNew();

        // Conversions are decided by a background worker: stopped here, so no row changes behind a refused request's back.
        await Api.Services.GetRequiredService<ConversionProcessor>().StopAsync(ct);
        await using var app = await Api.WithWebHostBuilder(builder => builder.UseSetting("Tracking:RequestsPerMinutePerIp", "0")).ReadyAsync();
        await app.Services.GetRequiredService<ConversionProcessor>().StopAsync(ct);

        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal) { ["anonymous"] = Anonymous(app) };
        foreach (var role in Identities.Skip(1))
        {
            var client = Anonymous(app);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Api.CreateTokenAsync(role));
            clients[role] = client;
        }

        var seeded = await SeedAsync(clients[Roles.Admin], app);
        using var documentAnswer = await clients["anonymous"].GetAsync("/openapi/v1.json", ct);
        Assert.Equal(HttpStatusCode.OK, documentAnswer.StatusCode);
        var document = JsonDocument.Parse(await documentAnswer.Content.ReadAsStringAsync(ct)).RootElement;

        var random = new Random(Seed);
        var cases = new List<Case>();
        var operations = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var key = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                operations.Add(key);
                cases.AddRange(Generate(document, key, path.Name, operation.Value, seeded, random));
            }
        }

        var snapshot = new Snapshot(app);
        var before = await snapshot.TakeAsync(ct);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var chunked = new List<string>();
        var sent = 0;
        foreach (var c in cases)
        {
            ApiAnswer? answer = null;
            string? thrown = null;
            try
            {
                sent++;
                answer = await clients[c.Identity].SendContentAsync(c.Method, c.Url, c.Content());
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                thrown = e.GetType().Name + ": " + e.Message.Split('\n')[0];
            }

            var code = answer?.Code ?? 599;
            statuses[code] = statuses.GetValueOrDefault(code) + 1;
            if (c.OnlyNo5xx)
            {
                chunked.Add($"{c.Operation} as {c.Identity}: {code}");
            }

            if (thrown is not null || code >= 500)
            {
                failures.Add($"{Describe(c)} -> {thrown ?? Shorten(answer!.ToString())}");
            }

            var after = await snapshot.TakeAsync(ct);
            if (code is >= 400 and < 500 && !c.OnlyNo5xx && after != before)
            {
                failures.Add($"{Describe(c)} -> {code} but rows changed: {Snapshot.Diff(before, after)}");
            }

            // A success may write: the next refusal is compared with what is there now.
            before = after;
        }

        var output = Xunit.TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{sent} requests to {operations.Count} operations as {Identities.Length} identities in {watch.Elapsed.TotalSeconds:0.0} s on {Api.Provider}.");
        output?.WriteLine("Answers: " + string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        output?.WriteLine("Chunked bodies over 64 KB: " + string.Join("; ", chunked));

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
        // Every operation of the document, as every identity: nothing skipped silently.
        foreach (var operation in operations)
        {
            foreach (var identity in Identities)
            {
                Assert.Contains(cases, c => c.Operation == operation && c.Identity == identity);
            }
        }

        Assert.Equal(cases.Count, sent);
        Assert.InRange(operations.Count, 45, 80);
        Assert.InRange(sent, 2_000, 8_000);
    }

    private static HttpClient Anonymous(WebApplicationFactory<Program> app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    private static string Describe(Case c) => $"[{c.Identity}] {c.Method} {Shorten(c.Url)} ({c.Description})";

    private static string Shorten(string s) => s.Length <= 200 ? s : $"{s[..160]}...({s.Length} chars)";

    /// <summary>Something real behind every path parameter: a project, partner, link, click, referral, conversion, reward, rule set and action.</summary>
    private async Task<Seeded> SeedAsync(HttpClient admin, WebApplicationFactory<Program> app)
    {
        var project = await GivenProjectAsync();
        var projectId = project.Int("id");
        var externalId = Unique("fuzz-partner-");
        var partner = await GivenPartnerAsync(externalId: externalId, projectId: projectId);
        var link = await GivenLinkAsync(partner.Int("id"), projectId: projectId);
        var ruleSetId = await Api.GivenRuleAsync(projectId, "percentage", 10, currency: "EUR");
        var actions = (await Admin.GetApiAsync($"/api/rewards/actions?filter[rule_set_id]={ruleSetId}")).AssertList();
        var trackingId = await admin.HitAsync(link.Str("code"));
        var referralExternalId = Unique("fuzz-user-");
        var referralId = await admin.GivenReferralAsync(link.Str("code"), referralExternalId);
        var conversionId = await admin.ConvertOkAsync(referralId, 100, "EUR");
        Assert.True(await app.Services.GetRequiredService<ConversionProcessor>().ProcessPendingAsync(Ct) >= 1);
        var rewards = await Api.RewardsOfPartnerAsync(partner.Int("id"));
        // Disabled: nothing is sent to it (the fuzzed requests change it, the dispatcher never reaches out).
        var webhook = (await admin.PostApiAsync("/api/webhook-endpoints", ApiHttp.Body(new { url = "https://93.184.216.34/fuzz", is_enabled = false })))
            .AssertOne(System.Net.HttpStatusCode.Created).GetProperty("endpoint").Int("id");
        return new Seeded(projectId, partner.Int("id"), externalId, link.Int("id"), link.Str("code"), trackingId, referralId, referralExternalId,
            conversionId, Assert.Single(rewards).Long("id"), ruleSetId, actions.Single().Int("id"), webhook);
    }

    /// <summary>The real value of a path parameter, from the path it is in.</summary>
    private static string PathValue(string path, string parameter, Seeded s) => parameter switch
    {
        "externalId" => s.ExternalId,
        "code" => s.Code,
        "id" when path.StartsWith("/api/projects/", StringComparison.Ordinal) => Inv(s.ProjectId),
        "id" when path.StartsWith("/api/partners/", StringComparison.Ordinal) => Inv(s.PartnerId),
        "id" when path.StartsWith("/api/referral-links/", StringComparison.Ordinal) => Inv(s.LinkId),
        "id" when path.StartsWith("/api/conversions/", StringComparison.Ordinal) => s.ConversionId.ToString(),
        "id" when path.StartsWith("/api/rewards/rule-sets/", StringComparison.Ordinal) => Inv(s.RuleSetId),
        "id" when path.StartsWith("/api/rewards/actions/", StringComparison.Ordinal) => Inv(s.ActionId),
        "id" when path.StartsWith("/api/rewards/", StringComparison.Ordinal) => s.RewardId.ToString(CultureInfo.InvariantCulture),
        "id" when path.StartsWith("/api/webhook-endpoints/", StringComparison.Ordinal) => Inv(s.WebhookEndpointId),
        "id" when path.StartsWith("/api/webhook-deliveries/", StringComparison.Ordinal) => "1",
        _ => throw new InvalidOperationException($"No seeded value for {{{parameter}}} in {path}: add one, nothing is skipped."),
    };

    private static string Inv(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Fill(string path, Seeded s, string? parameter = null, string? value = null)
    {
        var result = path;
        foreach (var name in Parameters(path))
        {
            result = result.Replace("{" + name + "}", name == parameter ? value : Uri.EscapeDataString(PathValue(path, name, s)), StringComparison.Ordinal);
        }

        return result;
    }

    private static List<string> Parameters(string path) =>
        path.Split('/').Where(p => p.StartsWith('{') && p.EndsWith('}')).Select(p => p[1..^1]).ToList();

    private static IEnumerable<Case> Generate(JsonElement document, string key, string path, JsonElement operation, Seeded s, Random random)
    {
        var method = new HttpMethod(key.Split(' ')[0]);
        var queryParameters = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.Str("in") == "query").Select(p => p.Str("name")).ToList()
            : [];
        var bodySchema = operation.TryGetProperty("requestBody", out var requestBody)
            ? Resolve(document, requestBody.GetProperty("content").GetProperty("application/json").GetProperty("schema"))
            : (JsonElement?)null;
        var baseBody = bodySchema is { } schema ? BaseBody(schema, s) : null;
        var url = Fill(path, s);

        string Who() => random.Next(100) switch
        {
            < 45 => Roles.Admin,
            < 65 => Roles.Operator,
            < 78 => Roles.Viewer,
            < 90 => Roles.Tracking,
            _ => "anonymous",
        };

        Func<HttpContent?> Json(string? body) => () => body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
        var valid = Json(baseBody?.ToJsonString());

        // Every identity once with the request as documented (pointed at the seeded rows).
        foreach (var identity in Identities)
        {
            yield return new Case(key, "as documented", identity, method, url, valid);
        }

        foreach (var parameter in Parameters(path))
        {
            foreach (var value in PathValues.OrderBy(_ => random.Next()).Take(ValuesPerPathParameter))
            {
                yield return new Case(key, $"path {parameter}={Shorten(value)}", Who(), method, Fill(path, s, parameter, value), valid);
            }
        }

        // The documented parameters, and two that are not (drawn from names clients get wrong or that attack the parser).
        string[] undocumented = ["unknown", "filter[unknown]", "page[number]", "include", "%00", "filter[%E2%80%AE]", "filter[", "page[size][x]", "sort"];
        var queryNames = queryParameters.Select(q => (Name: q, Values: ValuesPerQueryParameter))
            .Concat(undocumented.Where(u => !queryParameters.Contains(u)).OrderBy(_ => random.Next()).Take(2).Select(u => (Name: u, Values: 4)));
        foreach (var (name, count) in queryNames)
        {
            foreach (var value in QueryValues.OrderBy(_ => random.Next()).Take(count))
            {
                var escapedName = name.Contains('%', StringComparison.Ordinal) ? name : Uri.EscapeDataString(name);
                yield return new Case(key, $"query {name}={Shorten(value)}", Who(), method, $"{url}?{escapedName}={value}", valid);
            }
        }

        // The far ends of paging and dates together, and a parameter sent twice.
        if (queryParameters.Contains("page[number]"))
        {
            yield return new Case(key, "far page", Who(), method, $"{url}?page[number]=2147483647&page[size]=100", valid);
            yield return new Case(key, "last page", Who(), method, $"{url}?page[number]=1000000&page[size]=100", valid);
            yield return new Case(key, "page twice", Who(), method, $"{url}?page=1&page=2&page[number]=3", valid);
        }

        if (queryParameters.Contains("filter[date_to]"))
        {
            yield return new Case(key, "widest dates", Who(), method, $"{url}?filter[date_from]=0001-01-01&filter[date_to]=9999-12-31", valid);
            yield return new Case(key, "inverted dates", Who(), method, $"{url}?filter[date_from]=9999-12-31&filter[date_to]=0001-01-01", valid);
        }

        if (bodySchema is not { } body || baseBody is null)
        {
            // Routes without a body get one anyway: it must be ignored or refused, never a failure.
            yield return new Case(key, "unexpected body", Who(), method, url, Json("{\"unexpected\": true}"));
            yield return new Case(key, "unexpected oversized body", Who(), method, url, Json("{\"x\": " + JsonSerializer.Serialize(new string('p', 70 * 1024)) + "}"));
            yield break;
        }

        foreach (var (field, fieldSchema) in Fields(body))
        {
            var type = TypeOf(document, fieldSchema);
            string[] pool = type switch
            {
                "string" => [.. HostileStrings, .. WrongTypes],
                "integer" or "number" => [.. HostileNumbers, .. WrongTypes, "\"1\""],
                "boolean" => [.. WrongTypes, "\"true\"", "1", "0"],
                "object" => [.. WrongTypes, "{\"colour\":\"red\"}", "{\"\\u0000\":1}", "{\"a\":\"\\u0000\"}", "{\"a\":\"\\u202E\"}", Deep(40), Deep(2_000), $"{{\"blob\":{JsonSerializer.Serialize(new string('m', 20_000))}}}"],
                _ => [.. HostileStrings, .. WrongTypes, .. HostileNumbers],
            };

            foreach (var value in pool.OrderBy(_ => random.Next()).Take(ValuesPerField))
            {
                var mutated = baseBody.DeepClone().AsObject();
                mutated[field] = null;
                var text = mutated.ToJsonString().Replace($"\"{field}\":null", $"\"{field}\":{value}", StringComparison.Ordinal);
                yield return new Case(key, $"{field} = {Shorten(value)}", Who(), method, url, Json(text));
            }

            // Nested bodies (a conversion's payload): their fields get wrong values too.
            if (Resolve(document, fieldSchema) is { ValueKind: JsonValueKind.Object } nested && nested.TryGetProperty("properties", out _) && baseBody[field] is JsonObject nestedBase)
            {
                foreach (var (inner, _) in Fields(nested))
                {
                    foreach (var value in HostileStrings.Concat(HostileNumbers).Concat(WrongTypes).OrderBy(_ => random.Next()).Take(4))
                    {
                        var mutated = baseBody.DeepClone().AsObject();
                        var payload = nestedBase.DeepClone().AsObject();
                        payload[inner] = null;
                        mutated[field] = null;
                        var text = mutated.ToJsonString().Replace($"\"{field}\":null", $"\"{field}\":" + payload.ToJsonString().Replace($"\"{inner}\":null", $"\"{inner}\":{value}", StringComparison.Ordinal), StringComparison.Ordinal);
                        yield return new Case(key, $"{field}.{inner} = {Shorten(value)}", Who(), method, url, Json(text));
                    }
                }
            }
        }

        var json = baseBody.ToJsonString();
        string[] bodies =
        [
            json[..^1] + ",\"scopable_type\":\"project\"}",
            json[..^1] + ",\"\\u0000\":1}",
            json[..^1] + $",{JsonSerializer.Serialize(Long)}:1}}",
            json[..^1] + "," + json[1..],
            Deep(5_000),
            "[" + json + "]",
            "null", "", " ", "{", "}", "[]", "\"text\"", "1e400", "true", "{\"a\":}", json + json, json[..^1] + ",}",
            json[..^1] + ",\"n\":NaN}",
            JsonSerializer.Serialize(Long),
        ];
        foreach (var b in bodies)
        {
            yield return new Case(key, $"body {Shorten(b)}", Who(), method, url, Json(b));
        }

        yield return new Case(key, "invalid UTF-8", Who(), method, url, () => Bytes([.. Encoding.UTF8.GetBytes("{\"name\":\"a"), 0xFF, 0xFE, 0xC0, 0x80, .. Encoding.UTF8.GetBytes("\"}")], "application/json"));
        yield return new Case(key, "UTF-16 body", Who(), method, url, () => new StringContent(json, Encoding.Unicode, "application/json"));
        yield return new Case(key, "text/plain", Who(), method, url, () => new StringContent(json, Encoding.UTF8, "text/plain"));
        yield return new Case(key, "form", Who(), method, url, () => new FormUrlEncodedContent([new("name", "x")]));
        yield return new Case(key, "no content type", Who(), method, url, () => Bytes(Encoding.UTF8.GetBytes(json), null));
        yield return new Case(key, "oversized with length", Who(), method, url, Json(json[..^1] + $",\"padding\":{JsonSerializer.Serialize(new string('p', 70 * 1024))}}}"));

        // Chunked, over 64 KB: the limit for bodies without a length is being fixed on another branch; here only "no 5xx".
        foreach (var identity in new[] { Roles.Admin, Roles.Tracking })
        {
            yield return new Case(key, "oversized chunked", identity, method, url, () => Chunked(json[..^1] + $",\"padding\":{JsonSerializer.Serialize(new string('p', 70 * 1024))}}}"), OnlyNo5xx: true);
        }
    }

    private static string Deep(int depth) => string.Concat(Enumerable.Repeat("{\"d\":", depth)) + "1" + new string('}', depth);

    private static ByteArrayContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return content;
    }

    /// <summary>A body of unknown length: sent with Transfer-Encoding: chunked, no Content-Length.</summary>
    private static StreamContent Chunked(string body)
    {
        var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>The example of the body, pointed at the seeded rows; fields without a seeded value stay as the example has them.</summary>
    private static JsonObject BaseBody(JsonElement schema, Seeded s)
    {
        var example = schema.TryGetProperty("examples", out var examples) ? JsonNode.Parse(examples[0].GetRawText())!.AsObject() : [];
        example.Remove("version");
        void Set(string name, JsonNode value)
        {
            if (example.ContainsKey(name))
            {
                example[name] = value;
            }
        }

        Set("partner_id", s.PartnerId);
        Set("project_id", s.ProjectId);
        Set("default_project_id", s.ProjectId);
        Set("rule_set_id", s.RuleSetId);
        Set("scope_id", s.ProjectId);
        Set("tracking_id", s.TrackingId.ToString());
        Set("referral_id", s.ReferralId.ToString());
        Set("conversion_id", s.ConversionId.ToString());
        Set("code", ApiFactory.Unique("fz"));
        Set("event_id", ApiFactory.Unique("fuzz-event-"));
        Set("external_id", s.ReferralExternalId);
        return example;
    }

    private static IEnumerable<(string Name, JsonElement Schema)> Fields(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => (p.Name, p.Value)) : [];

    private static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return Resolve(document, document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]));
        }

        return schema.TryGetProperty("oneOf", out var oneOf)
            ? Resolve(document, oneOf.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")))
            : schema;
    }

    private static string? TypeOf(JsonElement document, JsonElement schema)
    {
        var resolved = Resolve(document, schema);
        if (resolved.ValueKind != JsonValueKind.Object || !resolved.TryGetProperty("type", out var type))
        {
            return resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty("enum", out _) ? "string" : null;
        }

        return type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null") : type.GetString();
    }

    /// <summary>Per table: its row count, the sum of its versions (moves on every update of a versioned row) and its highest id, in one query.</summary>
    private sealed class Snapshot
    {
        // Maintained behind requests by design: the click rollups trail the clicks on SQLite, and the key ring is
        // written when first needed. (API tokens count only by rows: their last use is noted on any authenticated request.)
        private static readonly string[] Excluded = ["ClickDaily", "ClickDailyProject", "ClickRollupState", "DataProtectionKey"];

        private readonly WebApplicationFactory<Program> _app;
        private readonly string _sql;

        public Snapshot(WebApplicationFactory<Program> app)
        {
            _app = app;
            using var db = app.Services.GetRequiredService<IDbContextFactory<NodiRef.Admin.Data.AppDbContext>>().CreateDbContext().Arranging();
            var parts = new List<string>();
            foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is not null && !e.IsOwned() && !Excluded.Contains(e.ClrType.Name)).DistinctBy(e => e.GetTableName()))
            {
                var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
                var name = entity.GetSchema() is { } schema ? $"\"{schema}\".\"{table.Name}\"" : $"\"{table.Name}\"";
                var version = entity.ClrType == typeof(ApiToken) ? null : entity.FindProperty("Version")?.GetColumnName(table);
                var key = entity.FindPrimaryKey()?.Properties is [var pk] && (pk.ClrType == typeof(int) || pk.ClrType == typeof(long)) ? pk.GetColumnName(table) : null;
                parts.Add($"SELECT '{table.Name}' AS t, CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM({(version is null ? "0" : $"\"{version}\"")}), 0) AS BIGINT) AS v, "
                    + $"CAST(COALESCE(MAX({(key is null ? "0" : $"\"{key}\"")}), 0) AS BIGINT) AS m FROM {name}");
            }

            _sql = string.Join(" UNION ALL ", parts);
        }

        public async Task<string> TakeAsync(CancellationToken ct)
        {
            await using var db = (await _app.Services.GetRequiredService<IDbContextFactory<NodiRef.Admin.Data.AppDbContext>>().CreateDbContextAsync(ct)).Arranging();
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(ct);
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = _sql;
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add($"{reader.GetString(0)}={reader.GetInt64(1)}/{reader.GetInt64(2)}/{reader.GetInt64(3)}");
            }

            return string.Join("\n", rows.Order(StringComparer.Ordinal));
        }

        public static string Diff(string before, string after) =>
            string.Join(", ", after.Split('\n').Except(before.Split('\n')));
    }

    /// <summary>A readable stream that does not say how long it is, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }
    }
}
