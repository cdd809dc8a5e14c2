using System.Net;
using System.Text.Json;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// Base of the API tests: the class's <see cref="ApiFactory"/>, clients per role and "given"
/// helpers that arrange data through the API itself as an admin.
/// </summary>
public abstract class ApiTest(ApiFactory api) : IClassFixture<ApiFactory>
{
    protected ApiFactory Api { get; } = api;
    protected HttpClient Admin => Api.Admin;
    protected HttpClient Operator => Api.Operator;
    protected HttpClient Viewer => Api.Viewer;
    protected static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    protected static string Unique(string prefix = "t") => ApiFactory.Unique(prefix);

    protected static string Body(object value) => ApiHttp.Body(value);

    protected async Task<JsonElement> GivenProjectAsync(string? name = null, bool archived = false)
    {
        name ??= Unique("Project ");
        var created = (await Admin.PostApiAsync("/api/projects", Body(new { name, landing_url = $"https://{Guid.NewGuid():N}.example.com/" }))).AssertOne(HttpStatusCode.Created);
        if (archived)
        {
            created = (await Admin.PostApiAsync($"/api/projects/{created.Int("id")}/archive", null)).AssertOne();
        }

        return created;
    }

    protected async Task<JsonElement> GivenPartnerAsync(string? name = null, string? externalId = null, int? projectId = null, string status = "active")
    {
        var body = new Dictionary<string, object?> { ["name"] = name ?? Unique("Partner "), ["status"] = status };
        if (externalId is not null)
        {
            body["external_id"] = externalId;
        }

        if (projectId is not null)
        {
            body["project_id"] = projectId;
        }

        return (await Admin.PostApiAsync("/api/partners", Body(body))).AssertOne(HttpStatusCode.Created);
    }

    protected async Task<JsonElement> GivenLinkAsync(int partnerId, string? code = null, int? projectId = null, string? targetUrl = null)
    {
        var body = new Dictionary<string, object?> { ["partner_id"] = partnerId, ["code"] = code ?? Unique("c") };
        if (projectId is not null)
        {
            body["project_id"] = projectId;
        }

        if (targetUrl is not null)
        {
            body["target_url"] = targetUrl;
        }

        return (await Admin.PostApiAsync("/api/referral-links", Body(body))).AssertOne(HttpStatusCode.Created);
    }

    /// <summary>Moves the app's clock on, so the next write has a later timestamp than the last.</summary>
    protected void Tick() => Api.Clock.Advance(TimeSpan.FromSeconds(1));
}
