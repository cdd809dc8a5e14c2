using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Tests.Api;

/// <summary>Who may call the API: bearer tokens only, and what each role may do.</summary>
public sealed class ApiAuthTests(ApiFactory api) : ApiTest(api)
{
    /// <summary>Every API route, with a body an editor could send; {p}, {partner}, {ext}, {link} are filled in per test.</summary>
    public static TheoryData<string, string, string?> AllRoutes => new()
    {
        { "GET", "/api/projects", null },
        { "GET", "/api/projects/{p}", null },
        { "POST", "/api/projects", """{"name":"{unique}","landing_url":"https://example.com/"}""" },
        { "PATCH", "/api/projects/{p}", """{"name":"{unique}"}""" },
        { "POST", "/api/projects/{p}/archive", null },
        { "POST", "/api/projects/{p}/restore", null },
        { "GET", "/api/partners", null },
        { "GET", "/api/partners/{partner}", null },
        { "POST", "/api/partners", """{"name":"{unique}"}""" },
        { "PATCH", "/api/partners/{partner}", """{"name":"{unique}"}""" },
        { "DELETE", "/api/partners/{partner}", null },
        { "POST", "/api/partners/{partner}/activate", null },
        { "POST", "/api/partners/{partner}/deactivate", null },
        { "GET", "/api/partners/external/{ext}", null },
        { "PATCH", "/api/partners/external/{ext}", """{"name":"{unique}"}""" },
        { "DELETE", "/api/partners/external/{ext}", null },
        { "POST", "/api/partners/external/{ext}/activate", null },
        { "POST", "/api/partners/external/{ext}/deactivate", null },
        { "GET", "/api/referral-links", null },
        { "GET", "/api/referral-links/{link}", null },
        { "POST", "/api/referral-links", """{"partner_id":{partner}}""" },
        { "PATCH", "/api/referral-links/{link}", """{"target_url":"https://example.com/{unique}"}""" },
        { "DELETE", "/api/referral-links/{link}", null },
    };

    public static TheoryData<string, string, string?> WriteRoutes
    {
        get
        {
            var writes = new TheoryData<string, string, string?>();
            foreach (var row in AllRoutes)
            {
                var (method, route, body) = row.Data;
                if (method != "GET")
                {
                    writes.Add(method, route, body);
                }
            }

            return writes;
        }
    }

    private sealed record Fixture(int ProjectId, int PartnerId, string ExternalId, int LinkId);

    /// <summary>A project, a partner with an external id and a link of its own, for one route test.</summary>
    private async Task<Fixture> GivenFixtureAsync()
    {
        var project = await GivenProjectAsync();
        var externalId = Unique("ext-");
        var partner = await GivenPartnerAsync(externalId: externalId);
        var link = await GivenLinkAsync(partner.Int("id"));
        return new Fixture(project.Int("id"), partner.Int("id"), externalId, link.Int("id"));
    }

    private static (HttpMethod Method, string Url, string? Body) Fill(Fixture f, string method, string route, string? body)
    {
        string Apply(string s) => s
            .Replace("{partner}", f.PartnerId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{p}", f.ProjectId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{ext}", f.ExternalId, StringComparison.Ordinal)
            .Replace("{link}", f.LinkId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{unique}", Unique("r"), StringComparison.Ordinal);
        return (new HttpMethod(method), Apply(route), body is null ? null : Apply(body));
    }

    /// <summary>Versions of the fixture's rows and the row counts: equal snapshots mean nothing was written.</summary>
    private async Task<string> SnapshotAsync(Fixture f)
    {
        await using var db = Api.Db();
        var project = await db.Projects.Where(p => p.Id == f.ProjectId).Select(p => new { p.Version, p.Status, p.Name }).FirstOrDefaultAsync(Ct);
        var partner = await db.Partners.Where(p => p.Id == f.PartnerId).Select(p => new { p.Version, p.Status, p.Name }).FirstOrDefaultAsync(Ct);
        var link = await db.ReferralLinks.Where(l => l.Id == f.LinkId).Select(l => new { l.Version, l.TargetUrl }).FirstOrDefaultAsync(Ct);
        return $"{await Api.CountsAsync()} {project} {partner} {link}";
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task Every_route_without_a_token_is_401_with_a_bearer_challenge(string method, string route, string? body)
    {
        var f = await GivenFixtureAsync();
        var before = await SnapshotAsync(f);
        var (m, url, json) = Fill(f, method, route, body);

        var answer = await Api.Anonymous().SendApiAsync(m, url, json);

        var problem = answer.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("Bearer", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(f));
    }

    [Theory]
    [MemberData(nameof(WriteRoutes))]
    public async Task A_viewer_token_is_refused_every_write_with_403_and_nothing_changes_while_an_operator_may(string method, string route, string? body)
    {
        var f = await GivenFixtureAsync();
        var before = await SnapshotAsync(f);
        var (m, url, json) = Fill(f, method, route, body);

        var refused = await Viewer.SendApiAsync(m, url, json);

        refused.AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(before, await SnapshotAsync(f));

        var allowed = await Operator.SendApiAsync(m, url, json);
        Assert.True(allowed.Code is >= 200 and < 300, $"An operator may {method} {route}, but got {allowed}");
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Viewer)]
    public async Task Every_role_may_read_every_read_route(string role)
    {
        var f = await GivenFixtureAsync();
        foreach (var row in AllRoutes)
        {
            var (method, route, body) = row.Data;
            if (method != "GET")
            {
                continue;
            }

            var (m, url, _) = Fill(f, method, route, body);
            var answer = await Api.As(role).SendApiAsync(m, url, null);
            Assert.True(answer.Status == HttpStatusCode.OK, $"{role} GET {url}: {answer}");
            Assert.True(answer.Json.GetProperty("success").GetBoolean());
        }
    }

    [Fact]
    public async Task A_tracking_token_reads_and_writes_nothing_under_the_api()
    {
        var f = await GivenFixtureAsync();
        foreach (var row in AllRoutes)
        {
            var (method, route, body) = row.Data;
            var before = await SnapshotAsync(f);
            var (m, url, json) = Fill(f, method, route, body);
            var answer = await Api.Tracking.SendApiAsync(m, url, json);
            answer.AssertProblem(HttpStatusCode.Forbidden);
            Assert.Equal(before, await SnapshotAsync(f));
        }
    }

    [Fact]
    public async Task An_operator_may_edit_a_link_but_not_move_it_to_another_project()
    {
        var from = await GivenProjectAsync();
        var to = await GivenProjectAsync();
        var partner = await GivenPartnerAsync();
        var link = await GivenLinkAsync(partner.Int("id"), projectId: from.Int("id"));
        var url = $"/api/referral-links/{link.Int("id")}";

        var moved = await Operator.PatchApiAsync(url, Body(new { project_id = to.Int("id") }));
        var cleared = await Operator.PatchApiAsync(url, """{"project_id":null}""");

        Assert.Contains("admin", moved.AssertProblem(HttpStatusCode.Forbidden).Str("detail"), StringComparison.OrdinalIgnoreCase);
        cleared.AssertProblem(HttpStatusCode.Forbidden);
        var unchanged = (await Admin.GetApiAsync(url)).AssertOne();
        Assert.Equal(from.Int("id"), unchanged.Int("project_id"));
        Assert.Equal(link.Long("version"), unchanged.Long("version"));

        var edited = (await Operator.PatchApiAsync(url, Body(new { target_url = "https://example.com/operator" }))).AssertOne();
        Assert.Equal("https://example.com/operator", edited.Str("target_url"));
        Assert.Equal(from.Int("id"), edited.Int("project_id"));

        var byAdmin = (await Admin.PatchApiAsync(url, Body(new { project_id = to.Int("id") }))).AssertOne();
        Assert.Equal(to.Int("id"), byAdmin.Int("project_id"));
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer nr_AAAAAAAA_wrongsecretwrongsecretwrongsecretwrongse")]
    [InlineData("Bearer ")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("nr_AAAAAAAA_noscheme")]
    public async Task An_invalid_authorization_header_is_401_with_a_bearer_challenge(string header)
    {
        using var client = Api.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        var answer = await client.GetApiAsync("/api/projects");

        var problem = answer.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.False(string.IsNullOrWhiteSpace(problem.Str("detail")));
    }

    [Fact]
    public async Task A_token_differing_in_one_character_is_refused()
    {
        var secret = await Api.CreateTokenAsync(Roles.Admin);
        var last = secret[^1];
        var tampered = secret[..^1] + (last == 'a' ? 'b' : 'a');

        using var good = Api.Client(secret);
        using var bad = Api.Client(tampered);

        Assert.Equal(HttpStatusCode.OK, (await good.GetApiAsync("/api/projects")).Status);
        (await bad.GetApiAsync("/api/projects")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_token_is_refused_from_the_next_request_on()
    {
        var token = await Api.CreateTokenRecordAsync(Roles.Admin);
        using var client = Api.Client(token.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetApiAsync("/api/partners")).Status);

        await Api.RevokeTokenAsync(token.Token.Id);

        var answer = await client.GetApiAsync("/api/partners");
        var problem = answer.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.Str("detail"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Bearer", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
        var write = await client.PostApiAsync("/api/partners", Body(new { name = Unique("Revoked ") }));
        write.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_identity_cookie_without_a_bearer_token_is_401()
    {
        using var client = Api.Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Identity.Application=CfDJ8-forged-value");

        var answer = await client.GetApiAsync("/api/projects");

        answer.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", answer.Response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_valid_back_office_session_cookie_opens_the_pages_but_not_the_api()
    {
        var cookie = await SignedInAdminCookieAsync();
        using var withCookie = Api.Anonymous();
        withCookie.DefaultRequestHeaders.Add("Cookie", cookie);

        // The cookie is genuine: the back-office lets it in (the overview, not a redirect to the login).
        var home = await withCookie.GetApiAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        var anonymousHome = await Api.Anonymous().GetApiAsync("/");
        Assert.Contains("Account/Login", anonymousHome.Location, StringComparison.Ordinal);

        // ...but the API answers only to bearer tokens.
        var before = await Api.CountsAsync();
        (await withCookie.GetApiAsync("/api/partners")).AssertProblem(HttpStatusCode.Unauthorized);
        (await withCookie.PostApiAsync("/api/partners", Body(new { name = Unique("Cookie ") }))).AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Equal(before, await Api.CountsAsync());
    }

    /// <summary>The cookie a real sign-in of an admin would set: the app's own claims factory and cookie protector.</summary>
    private async Task<string> SignedInAdminCookieAsync()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"{Unique("admin")}@example.com";
        var user = new ApplicationUser { UserName = email, Email = email, DisplayName = "Cookie Admin", EmailConfirmed = true, CreatedAt = Api.Clock.GetUtcNow().UtcDateTime };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Admin)).Succeeded);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user);

        var options = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var now = Api.Clock.GetUtcNow();
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) }, IdentityConstants.ApplicationScheme);
        return $"{options.Cookie.Name}={options.TicketDataFormat.Protect(ticket)}";
    }
}
