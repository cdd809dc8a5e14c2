using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// Hundreds of malformed requests, generated deterministically from a seed, at every write route
/// that takes a body: each must be refused with a 4xx problem and none may write anything.
/// </summary>
public sealed class GeneratedInputTests(ApiFactory api) : ApiTest(api)
{
    private const int Seed = 20_261_125;
    private const int CasesPerRoute = 60;

    private enum Kind
    {
        Name,
        OptionalText,
        Url,
        OptionalUrl,
        Code,
        Status,
        RequiredId,
        OptionalId,
        Metadata,
    }

    private enum Category
    {
        Field,
        Syntax,
        WholeBody,
        Transport,
        Path,
    }

    /// <summary>A field of a valid body: its JSON value, and whether null is a mistake for it.</summary>
    private sealed record Field(string Name, Kind Kind, string Valid, bool NullInvalid);

    /// <summary>A generated request: what it is, for the failure message, and what to send.</summary>
    private sealed record Case(Category Category, string Description, HttpMethod Method, string Url, HttpContent Content);

    private sealed record Targets(int ProjectId, int OtherProjectId, int PartnerId, string ExternalId, int LinkId);

    public static TheoryData<string> Routes =>
    [
        "POST /api/projects",
        "PATCH /api/projects/{project}",
        "POST /api/partners",
        "PATCH /api/partners/{partner}",
        "PATCH /api/partners/external/{ext}",
        "POST /api/referral-links",
        "PATCH /api/referral-links/{link}",
    ];

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static string Inv(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>The fields of a valid body for the route; each request gets fresh unique values.</summary>
    private static Field[] ValidBody(string route, Targets t) => route switch
    {
        "POST /api/projects" =>
        [
            new("name", Kind.Name, Quote(Unique("Gen ")), NullInvalid: true),
            new("landing_url", Kind.Url, Quote("https://example.com/gen"), NullInvalid: true),
        ],
        "PATCH /api/projects/{project}" =>
        [
            new("name", Kind.Name, Quote(Unique("Gen ")), NullInvalid: true),
            new("landing_url", Kind.Url, Quote("https://example.com/changed"), NullInvalid: true),
        ],
        "POST /api/partners" =>
        [
            new("name", Kind.Name, Quote(Unique("Gen ")), NullInvalid: true),
            new("external_id", Kind.OptionalText, Quote(Unique("gen-")), NullInvalid: false),
            new("status", Kind.Status, Quote("active"), NullInvalid: false),
            new("project_id", Kind.OptionalId, Inv(t.ProjectId), NullInvalid: false),
        ],
        "PATCH /api/partners/{partner}" or "PATCH /api/partners/external/{ext}" =>
        [
            new("name", Kind.Name, Quote(Unique("Gen ")), NullInvalid: true),
            new("external_id", Kind.OptionalText, Quote(Unique("gen-")), NullInvalid: false),
            new("status", Kind.Status, Quote("inactive"), NullInvalid: true),
            new("default_project_id", Kind.OptionalId, Inv(t.OtherProjectId), NullInvalid: false),
        ],
        "POST /api/referral-links" =>
        [
            new("partner_id", Kind.RequiredId, Inv(t.PartnerId), NullInvalid: true),
            new("code", Kind.Code, Quote(Unique("gen")), NullInvalid: false),
            new("project_id", Kind.OptionalId, Inv(t.ProjectId), NullInvalid: false),
            new("target_url", Kind.OptionalUrl, Quote("https://example.com/target"), NullInvalid: false),
            new("metadata", Kind.Metadata, """{"campaign":"gen","n":1}""", NullInvalid: false),
        ],
        "PATCH /api/referral-links/{link}" =>
        [
            new("project_id", Kind.OptionalId, Inv(t.OtherProjectId), NullInvalid: false),
            new("target_url", Kind.OptionalUrl, Quote("https://example.com/changed"), NullInvalid: false),
            new("metadata", Kind.Metadata, """{"campaign":"changed"}""", NullInvalid: false),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
    };

    private static string Json(IEnumerable<(string Name, string Value)> fields) =>
        "{" + string.Join(",", fields.Select(f => $"{Quote(f.Name)}:{f.Value}")) + "}";

    private static string Deep(int depth) =>
        string.Concat(Enumerable.Repeat("{\"d\":", depth)) + "1" + new string('}', depth);

    private static readonly string[] WrongTypesForText = ["123", "-1", "1.5e3", "true", "false", "[]", "[\"x\"]", "{}", "{\"a\":\"b\"}"];
    private static readonly string[] WrongTypesForIds = ["\"1\"", "1.5", "99999999999", "-99999999999", "1e2", "true", "[]", "[1]", "{}", "{\"id\":1}"];

    /// <summary>Values that are wrong for a field of this kind, whatever the rest of the body says.</summary>
    private static string[] InvalidValues(Field field, Targets t)
    {
        var huge = new string('h', 10_000);
        string[] values = field.Kind switch
        {
            Kind.Name => [.. WrongTypesForText, "\"\"", "\"   \"", Quote(huge), Quote(new string('n', 201))],
            Kind.OptionalText => [.. WrongTypesForText, Quote(huge), Quote(new string('e', 201))],
            Kind.Url => [.. WrongTypesForText, "\"\"", "\"  \"", "\"ftp://files.example.com/\"", "\"not a url\"", "\"javascript:alert(1)\"", "\"//example.com/x\"", "\"mailto:a@example.com\"", Quote("https://example.com/" + huge)],
            Kind.OptionalUrl => [.. WrongTypesForText, "\"ftp://files.example.com/\"", "\"not a url\"", "\"javascript:alert(1)\"", "\"/relative/path\"", "\"https://\"", Quote("https://example.com/" + huge)],
            Kind.Code => [.. WrongTypesForText, "\"a b\"", "\"ab\"", "\"é-code1\"", "\"code!\"", "\"co/de\"", Quote(new string('c', 65)), Quote(huge)],
            Kind.Status => ["\"weird\"", "\"\"", "\"archived\"", "\"ACTIVE!\"", "\"act ive\"", "1", "0", "-1", "true", "[]", "[\"active\"]", "{}"],
            Kind.RequiredId or Kind.OptionalId => [.. WrongTypesForIds, "0", "-1", Inv(int.MinValue), Inv(int.MaxValue), Inv(t.ProjectId + 100_000)],
            Kind.Metadata => ["\"campaign=spring\"", "42", "true", "[]", "[1,2]", "[{\"a\":1}]", Deep(40), "{\"nested\":" + Deep(100) + "}", $"{{\"blob\":{Quote(new string('m', 17 * 1024))}}}"],
            _ => throw new ArgumentOutOfRangeException(nameof(field), field.Kind, null),
        };
        return field.NullInvalid ? [.. values, "null"] : values;
    }

    private static readonly Func<string, Random, string>[] SyntaxBreakers =
    [
        (json, random) => json[..random.Next(1, json.Length - 1)],
        (json, _) => json[..^1] + ",}",
        (json, _) => json.Replace("\":", "\"=", StringComparison.Ordinal),
        (json, _) => json.Replace('"', '\''),
        (json, _) => "{" + json[2..].Replace("\":", ":", StringComparison.Ordinal),
        (json, _) => json + " // trailing comment",
        (json, _) => "/* lead */ " + json,
        (json, _) => json + json,
        (json, _) => json + "}",
        (json, _) => json.Replace(",", " ", StringComparison.Ordinal) + (json.Contains(',', StringComparison.Ordinal) ? "" : "x"),
        (json, _) => json[..^1] + ",\"n\":NaN}",
        (json, _) => json[..^1] + ",\"n\":Infinity}",
        (json, _) => json[..^1] + ",\"n\":01}",
        (json, _) => json[..^1] + ",\"n\":0x1F}",
        (json, _) => json[..^1] + ",\"n\":\"bad \\x escape\"}",
        (json, _) => json[..^1] + ",\"n\":\"tab\tinside\"}",
        (json, _) => json[..^1] + ",\"n\":undefined}",
        (json, _) => json[..^1] + ",\"n\":" + Deep(200) + "}",
        (json, _) => json.Replace("{", "[", StringComparison.Ordinal),
    ];

    private static readonly string[] WholeBodies = ["null", "[]", "\"text\"", "42", "true", "", " ", "{", "}", "[{}]"];

    private static StringContent JsonContent(string body) => new(body, Encoding.UTF8, "application/json");

    private static IEnumerable<Case> Generate(string route, Targets t, Random random)
    {
        var parts = route.Split(' ');
        var method = new HttpMethod(parts[0]);
        var template = parts[1];
        var url = template
            .Replace("{project}", Inv(t.ProjectId), StringComparison.Ordinal)
            .Replace("{partner}", Inv(t.PartnerId), StringComparison.Ordinal)
            .Replace("{ext}", t.ExternalId, StringComparison.Ordinal)
            .Replace("{link}", Inv(t.LinkId), StringComparison.Ordinal);

        for (var i = 0; i < CasesPerRoute; i++)
        {
            var fields = ValidBody(route, t);
            var valid = Json(fields.Select(f => (f.Name, f.Valid)));
            // The first cases visit every category once; then categories are drawn by weight.
            var category = i < Categories.Length ? Categories[i] : Draw(random.Next(100));
            if (category == Category.Path && !template.Contains('{', StringComparison.Ordinal))
            {
                category = Category.WholeBody;
            }

            if (category == Category.Field)
            {
                // One field gets a wrong value; a random subset of the others stays valid.
                var target = fields[random.Next(fields.Length)];
                var invalid = InvalidValues(target, t);
                var value = invalid[random.Next(invalid.Length)];
                var kept = fields.Where(f => f == target || random.Next(3) > 0).Select(f => (f.Name, f == target ? value : f.Valid)).ToList();
                var body = Json(kept.OrderBy(_ => random.Next()));
                yield return new Case(Category.Field, $"{target.Name} = {Shorten(value)}", method, url, JsonContent(body));
            }
            else if (category == Category.Syntax)
            {
                var breaker = random.Next(SyntaxBreakers.Length);
                var body = SyntaxBreakers[breaker](valid, random);
                yield return new Case(Category.Syntax, $"syntax #{breaker}: {Shorten(body)}", method, url, JsonContent(body));
            }
            else if (category == Category.WholeBody)
            {
                var body = random.Next(3) == 0 ? $"[{valid}]" : WholeBodies[random.Next(WholeBodies.Length)];
                yield return new Case(Category.WholeBody, $"body {Shorten(body)}", method, url, JsonContent(body));
            }
            else if (category == Category.Transport)
            {
                HttpContent content = random.Next(4) switch
                {
                    0 => new StringContent(valid, Encoding.UTF8, "text/plain"),
                    1 => new FormUrlEncodedContent([new("name", Unique())]),
                    2 => new StringContent(valid, Encoding.UTF8, "application/xml"),
                    _ => JsonContent(valid[..^1] + $",\"padding\":{Quote(new string('p', 65 * 1024 + random.Next(10_000)))}}}"),
                };
                yield return new Case(Category.Transport, $"content {content.Headers.ContentType} of {content.Headers.ContentLength} bytes", method, url, content);
            }
            else
            {
                var missing = template.Contains("{ext}", StringComparison.Ordinal)
                    ? template.Replace("{ext}", Unique("missing-"), StringComparison.Ordinal)
                    : template[..template.IndexOf('{', StringComparison.Ordinal)] + new[] { "0", "-1", Inv(int.MaxValue), "-2147483648" }[random.Next(4)];
                yield return new Case(Category.Path, $"no such resource at {missing}", method, missing, JsonContent(valid));
            }
        }
    }

    private static readonly Category[] Categories = Enum.GetValues<Category>();

    private static Category Draw(int roll) => roll switch
    {
        < 55 => Category.Field,
        < 75 => Category.Syntax,
        < 85 => Category.WholeBody,
        < 93 => Category.Transport,
        _ => Category.Path,
    };

    private static string Shorten(string s) => s.Length <= 80 ? s : $"{s[..60]}...({s.Length} chars)";

    private async Task<Targets> GivenTargetsAsync()
    {
        var project = await GivenProjectAsync();
        var other = await GivenProjectAsync();
        var externalId = Unique("gen-target-");
        var partner = await GivenPartnerAsync(externalId: externalId);
        var link = await GivenLinkAsync(partner.Int("id"), projectId: project.Int("id"));
        return new Targets(project.Int("id"), other.Int("id"), partner.Int("id"), externalId, link.Int("id"));
    }

    /// <summary>The targets as the API shows them, and the row counts: equal snapshots mean nothing was written.</summary>
    private async Task<string> SnapshotAsync(Targets t) =>
        string.Join("\n",
            (await Admin.GetApiAsync($"/api/projects/{t.ProjectId}")).Text,
            (await Admin.GetApiAsync($"/api/projects/{t.OtherProjectId}")).Text,
            (await Admin.GetApiAsync($"/api/partners/{t.PartnerId}?include=referral_links")).Text,
            (await Admin.GetApiAsync($"/api/referral-links/{t.LinkId}")).Text,
            await Api.CountsAsync());

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_generated_malformed_request_is_a_4xx_problem_and_writes_nothing(string route)
    {
        var t = await GivenTargetsAsync();
        var before = await SnapshotAsync(t);
        var random = new Random(Seed + Routes.ToList().FindIndex(r => r.Data == route));
        var cases = Generate(route, t, random).ToList();
        var failures = new List<string>();

        foreach (var c in cases)
        {
            var answer = await Admin.SendContentAsync(c.Method, c.Url, c.Content);
            if (answer.Code is < 400 or > 499)
            {
                failures.Add($"[{c.Category}] {c.Description}: {Shorten(answer.ToString())}");
                continue;
            }

            try
            {
                answer.AssertIsProblem();
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or JsonException or KeyNotFoundException)
            {
                failures.Add($"[{c.Category}] {c.Description}: not a clean problem ({e.Message.Split('\n')[0]}): {Shorten(answer.ToString())}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} answers were wrong:\n" + string.Join("\n", failures));
        Assert.Equal(CasesPerRoute, cases.Count);
        Assert.All(Enum.GetValues<Category>().Where(c => c != Category.Path || route.StartsWith("PATCH", StringComparison.Ordinal)),
            category => Assert.Contains(cases, c => c.Category == category));
        Assert.Equal(before, await SnapshotAsync(t));
    }
}
