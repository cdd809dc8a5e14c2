using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Domain;
using NodiRef.Admin.Features.Users;
using NodiRef.Admin.Hosting;

namespace NodiRef.Admin.Tests.Api;

/// <summary>
/// Signing in and out over real HTTP, as a browser does it: the form's antiforgery token, cookies,
/// redirects. Every browser comes from an address of its own (<see cref="NewBrowser"/>), so the
/// per-address sign-in throttle of one test does not reach another.
/// </summary>
public sealed partial class AccountTests(ApiFactory api) : ApiTest(api)
{
    private const string Password = "a long enough passphrase";
    private static int _addresses;

    [Fact]
    public async Task After_sign_out_a_copy_of_the_session_cookie_no_longer_opens_a_page()
    {
        var email = await GivenUserAsync(Roles.Operator);
        var browser = NewBrowser();
        await browser.SignInAsync(email, Password);
        var copied = browser.SessionCookie();

        var page = await browser.GetAsync("/partners");
        Assert.Equal(200, page.Status);
        var signOut = await browser.PostAsync("/Account/Logout", new() { ["__RequestVerificationToken"] = HiddenValue(page.Body, "__RequestVerificationToken"), ["ReturnUrl"] = "" });
        Assert.Equal(302, signOut.Status);
        Assert.EndsWith("/Account/Login", signOut.Location, StringComparison.Ordinal);

        // Past the cookie's stamp-validation interval the copy is checked against the user again.
        Api.Clock.Advance(AppServices.CookieStampValidation + TimeSpan.FromSeconds(1));
        var thief = NewBrowser(copied);
        var afterwards = await thief.GetAsync("/partners");
        Assert.Equal(302, afterwards.Status);
        Assert.Contains("/Account/Login", afterwards.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_out_without_the_antiforgery_token_is_refused_and_the_session_stays()
    {
        var email = await GivenUserAsync(Roles.Viewer);
        var browser = NewBrowser();
        await browser.SignInAsync(email, Password);

        var forged = await browser.PostAsync("/Account/Logout", new() { ["ReturnUrl"] = "" });

        Assert.Equal(400, forged.Status);
        Api.Clock.Advance(AppServices.CookieStampValidation + TimeSpan.FromSeconds(1));
        Assert.Equal(200, (await browser.GetAsync("/partners")).Status);
    }

    [Fact]
    public async Task Unknown_email_wrong_password_and_disabled_account_get_the_same_answer()
    {
        var known = await GivenUserAsync(Roles.Operator);
        var disabled = await GivenUserAsync(Roles.Operator, disabled: true);
        var unknown = $"{Unique("nobody")}@example.com";

        var answers = new List<string>();
        foreach (var (email, password) in new[] { (known, Password + "x"), (disabled, Password), (unknown, Password) })
        {
            var answer = await NewBrowser().TrySignInAsync(email, password);
            Assert.Equal(200, answer.Status);
            Assert.Contains("Invalid email or password.", answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(password, answer.Body, StringComparison.Ordinal);
            answers.Add(Normalized(answer.Body, email));
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(answers[0], answers[2]);
    }

    [Fact]
    public async Task A_locked_account_says_so_only_to_someone_who_knows_its_password()
    {
        var email = await GivenUserAsync(Roles.Viewer);
        var stranger = $"{Unique("nobody")}@example.com";
        var unknown = await NewBrowser().TrySignInAsync(stranger, Password);
        var browser = NewBrowser();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            // The fifth failure locks the account; to a wrong password it answers as an unknown email does.
            var failed = await browser.TrySignInAsync(email, $"wrong password {attempt}");
            Assert.Equal(200, failed.Status);
            Assert.Equal(Normalized(unknown.Body, stranger), Normalized(failed.Body, email));
        }

        var right = await browser.TrySignInAsync(email, Password);
        Assert.Equal(302, right.Status);
        Assert.EndsWith("/Account/Lockout", right.Location, StringComparison.Ordinal);
        Assert.Null(browser.SessionCookie());
    }

    [Fact]
    public async Task The_eleventh_sign_in_attempt_from_one_address_within_a_minute_is_throttled()
    {
        var email = await GivenUserAsync(Roles.Viewer);
        var attacker = NewBrowser();
        var form = await attacker.GetAsync("/Account/Login");
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var answer = await attacker.PostAsync("/Account/Login", LoginForm(form.Body, $"{Unique("guess")}@example.com", "guess"));
            Assert.True(answer.Status == 200, $"Attempt {attempt}: {answer.Status}");
        }

        var throttled = await attacker.PostAsync("/Account/Login", LoginForm(form.Body, email, Password));
        Assert.Equal(429, throttled.Status);
        Assert.Matches(@"Too many sign-in attempts from this address\. Retry in \d+ s\.", throttled.Body);
        Assert.True(int.Parse(throttled.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        Assert.Null(attacker.SessionCookie());

        // Someone else is not slowed down by it.
        await NewBrowser().SignInAsync(email, Password);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task A_foreign_return_url_after_a_good_sign_in_lands_on_the_home_page(string returnUrl)
    {
        var email = await GivenUserAsync(Roles.Viewer);
        var browser = NewBrowser();

        var answer = await browser.TrySignInAsync(email, Password, returnUrl);

        Assert.Equal(302, answer.Status);
        var target = new Uri(new Uri("http://localhost/"), answer.Location);
        Assert.Equal("localhost", target.Host);
        Assert.Equal("/", target.AbsolutePath);
        Assert.NotNull(browser.SessionCookie());
    }

    [Fact]
    public async Task A_local_return_url_after_a_good_sign_in_is_followed()
    {
        var email = await GivenUserAsync(Roles.Viewer);

        var answer = await NewBrowser().TrySignInAsync(email, Password, "/projects?page=2");

        Assert.Equal(302, answer.Status);
        Assert.Equal("/projects?page=2", new Uri(new Uri("http://localhost/"), answer.Location).PathAndQuery);
    }

    private async Task<string> GivenUserAsync(string role, bool disabled = false)
    {
        var email = $"{Unique("user")}@example.com";
        await using var scope = Api.AsUser(Roles.Admin);
        var users = scope.ServiceProvider.GetRequiredService<UserService>();
        var user = (await users.CreateAsync(new CreateUserInput(email, "Test Person", role, Password), Ct)).Value!;
        if (disabled)
        {
            Assert.True((await users.SetDisabledAsync(user.Id, true, Ct)).Succeeded);
        }

        return email;
    }

    private Browser NewBrowser(string? cookies = null)
    {
        var n = Interlocked.Increment(ref _addresses);
        return new Browser(Api.Server, IPAddress.Parse($"198.51.{n / 250 % 250}.{(n % 250) + 1}"), cookies);
    }

    private static Dictionary<string, string> LoginForm(string formHtml, string email, string password) => new()
    {
        ["_handler"] = HiddenValue(formHtml, "_handler"),
        ["__RequestVerificationToken"] = HiddenValue(formHtml, "__RequestVerificationToken"),
        ["Input.Email"] = email,
        ["Input.Password"] = password,
    };

    /// <summary>A page without what legitimately differs between two answers: protected tokens and the email typed in.</summary>
    private static string Normalized(string html, string email) =>
        ProtectedPayload().Replace(html, "(protected)").Replace(WebUtility.HtmlEncode(email), "(email)", StringComparison.Ordinal).Replace(email, "(email)", StringComparison.Ordinal);

    private static string HiddenValue(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.True(match is not null, $"No hidden input \"{name}\" in: {html}");
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    [GeneratedRegex(""""<input[^>]*type="hidden"[^>]*name="(?<name>[^"]+)"[^>]*value="(?<value>[^"]*)"""")]
    private static partial Regex HiddenInput();

    /// <summary>Data-protection payloads (antiforgery tokens, the persisted component state that carries one): new on every answer.</summary>
    [GeneratedRegex("CfDJ8[A-Za-z0-9+/=_-]+")]
    private static partial Regex ProtectedPayload();

    private sealed record Answer(int Status, string? Location, string Body, IHeaderDictionary Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v.ToString() : null;
    }

    /// <summary>One browser: a cookie jar and a client address, over the test server.</summary>
    private sealed class Browser(TestServer server, IPAddress address, string? cookies)
    {
        private const string SessionCookieName = ".AspNetCore.Identity.Application";
        private readonly Dictionary<string, string> _cookies = Parse(cookies);

        public string? SessionCookie() =>
            _cookies.TryGetValue(SessionCookieName, out var value) ? $"{SessionCookieName}={value}" : null;

        public async Task SignInAsync(string email, string password)
        {
            var answer = await TrySignInAsync(email, password);
            Assert.True(answer.Status == 302 && SessionCookie() is not null, $"Sign-in failed: {answer.Status} {answer.Body}");
        }

        public async Task<Answer> TrySignInAsync(string email, string password, string? returnUrl = null)
        {
            var path = "/Account/Login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
            var form = await GetAsync(path);
            Assert.Equal(200, form.Status);
            return await PostAsync(path, LoginForm(form.Body, email, password));
        }

        public Task<Answer> GetAsync(string pathAndQuery) => SendAsync(HttpMethods.Get, pathAndQuery, null);

        public Task<Answer> PostAsync(string pathAndQuery, Dictionary<string, string> form) => SendAsync(HttpMethods.Post, pathAndQuery, form);

        private async Task<Answer> SendAsync(string method, string pathAndQuery, Dictionary<string, string>? form)
        {
            var body = form is null ? null : await new FormUrlEncodedContent(form).ReadAsByteArrayAsync(Ct);
            var context = await server.SendAsync(c =>
            {
                var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
                c.Request.Method = method;
                c.Request.Scheme = "http";
                c.Request.Host = new HostString("localhost");
                c.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
                c.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
                if (_cookies.Count > 0)
                {
                    c.Request.Headers.Cookie = string.Join("; ", _cookies.Select(kv => $"{kv.Key}={kv.Value}"));
                }

                if (body is not null)
                {
                    c.Request.ContentType = "application/x-www-form-urlencoded";
                    c.Request.ContentLength = body.Length;
                    c.Request.Body = new MemoryStream(body);
                }

                // What the sign-in throttle keys on: a TestServer request has no address of its own.
                c.Connection.RemoteIpAddress = address;
            }, Ct);

            foreach (var setCookie in context.Response.Headers.SetCookie)
            {
                var pair = setCookie!.Split(';')[0];
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var (name, value) = (pair[..equals], pair[(equals + 1)..]);
                if (value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.Remove(name);
                }
                else
                {
                    _cookies[name] = value;
                }
            }

            using var reader = new StreamReader(context.Response.Body);
            var location = context.Response.Headers.Location.ToString();
            return new Answer(context.Response.StatusCode, location.Length > 0 ? location : null, await reader.ReadToEndAsync(Ct), context.Response.Headers);
        }

        private static Dictionary<string, string> Parse(string? cookies) =>
            (cookies ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.Split('=', 2))
                .ToDictionary(p => p[0], p => p[1]);
    }
}
