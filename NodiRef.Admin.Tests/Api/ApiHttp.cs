using System.Net;
using System.Text;
using System.Text.Json;

namespace NodiRef.Admin.Tests.Api;

/// <summary>One HTTP answer, read once: status, headers and the body as text and (when JSON) parsed.</summary>
public sealed record ApiAnswer(HttpResponseMessage Response, string Text)
{
    public HttpStatusCode Status => Response.StatusCode;
    public int Code => (int)Response.StatusCode;
    public string? ContentType => Response.Content.Headers.ContentType?.MediaType;
    public string? Location => Response.Headers.Location?.OriginalString;
    public string? ETag => Response.Headers.ETag?.ToString();

    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    /// <summary>The <c>data</c> of a <c>{"success": true, "data": ...}</c> envelope.</summary>
    public JsonElement Data => Json.GetProperty("data");

    public string? Header(string name) =>
        Response.Headers.TryGetValues(name, out var values) || Response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    public override string ToString() => $"{Code} {ContentType}: {Text}";
}

/// <summary>Requests with exact bodies (raw JSON text, so malformed input stays malformed) and answer checks.</summary>
public static class ApiHttp
{
    public static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public static Task<ApiAnswer> GetApiAsync(this HttpClient client, string url, params (string Name, string Value)[] headers) =>
        client.SendApiAsync(HttpMethod.Get, url, null, headers);

    public static Task<ApiAnswer> PostApiAsync(this HttpClient client, string url, string? json, params (string Name, string Value)[] headers) =>
        client.SendApiAsync(HttpMethod.Post, url, json, headers);

    public static Task<ApiAnswer> PatchApiAsync(this HttpClient client, string url, string? json, params (string Name, string Value)[] headers) =>
        client.SendApiAsync(HttpMethod.Patch, url, json, headers);

    public static Task<ApiAnswer> DeleteApiAsync(this HttpClient client, string url, params (string Name, string Value)[] headers) =>
        client.SendApiAsync(HttpMethod.Delete, url, null, headers);

    public static Task<ApiAnswer> SendApiAsync(this HttpClient client, HttpMethod method, string url, string? json, params (string Name, string Value)[] headers) =>
        client.SendContentAsync(method, url, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"), headers);

    public static async Task<ApiAnswer> SendContentAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new ApiAnswer(response, text);
    }

    /// <summary>JSON text of an object, in the API's snake_case names (pass them as written).</summary>
    public static string Body(object value) => JsonSerializer.Serialize(value);

    /// <summary>Asserts a success envelope with one item and returns its <c>data</c>.</summary>
    public static JsonElement AssertOne(this ApiAnswer answer, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status} but got {answer}");
        Assert.Equal("application/json", answer.ContentType);
        var json = answer.Json;
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("data").ValueKind);
        return json.GetProperty("data");
    }

    /// <summary>Asserts a list envelope and returns its items.</summary>
    public static List<JsonElement> AssertList(this ApiAnswer answer, int? page = null, int? pageSize = null, int? total = null)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, $"Expected 200 but got {answer}");
        Assert.Equal("application/json", answer.ContentType);
        var json = answer.Json;
        Assert.True(json.GetProperty("success").GetBoolean());
        var meta = json.GetProperty("meta");
        if (page is { } p)
        {
            Assert.Equal(p, meta.GetProperty("page").GetInt32());
        }

        if (pageSize is { } s)
        {
            Assert.Equal(s, meta.GetProperty("page_size").GetInt32());
        }

        if (total is { } t)
        {
            Assert.Equal(t, meta.GetProperty("total").GetInt32());
        }

        return json.GetProperty("data").EnumerateArray().ToList();
    }

    /// <summary>
    /// Asserts an RFC 9457 problem with <paramref name="status"/> that leaks no internals, and
    /// returns its body.
    /// </summary>
    public static JsonElement AssertProblem(this ApiAnswer answer, HttpStatusCode status)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status} but got {answer}");
        AssertIsProblem(answer);
        return answer.Json;
    }

    /// <summary>Asserts a problem body: problem+json, a status equal to the answer's, a title, no stack trace.</summary>
    public static void AssertIsProblem(this ApiAnswer answer)
    {
        Assert.True(answer.ContentType == "application/problem+json", $"Expected problem+json but got {answer}");
        var json = answer.Json;
        Assert.Equal(JsonValueKind.Object, json.ValueKind);
        Assert.Equal(answer.Code, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("title").GetString()));
        Assert.False(json.GetProperty("success").GetBoolean());
        AssertNoInternals(answer.Text);
    }

    public static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("NodiRef.Admin.", body, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", body, StringComparison.Ordinal);
    }

    /// <summary>Asserts a 400 whose <c>errors</c> has an entry for <paramref name="field"/>; returns its first message.</summary>
    public static string AssertFieldError(this ApiAnswer answer, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var problem = answer.AssertProblem(status);
        Assert.True(problem.TryGetProperty("errors", out var errors), $"Expected \"errors\" in {answer.Text}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"Expected an error on \"{field}\" in {answer.Text}");
        var first = messages.EnumerateArray().First().GetString();
        Assert.False(string.IsNullOrWhiteSpace(first));
        return first!;
    }

    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static int Int(this JsonElement e, string name) => e.GetProperty(name).GetInt32();

    public static long Long(this JsonElement e, string name) => e.GetProperty(name).GetInt64();

    public static List<int> Ids(this IEnumerable<JsonElement> items) => items.Select(i => i.Int("id")).ToList();
}
