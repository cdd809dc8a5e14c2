using System.Net;

namespace NodiRef.Admin.Tests.Api;

/// <summary>Every answer of one versioned row carries its version as ETag, whichever route answers it; lists carry none.</summary>
public sealed class VersionedAnswerTests(ApiFactory api) : ApiTest(api)
{
    private static string ETagOf(long version) => $"W/\"{version}\"";

    [Fact]
    public async Task Created_read_changed_and_listed_rows_answer_their_version()
    {
        var partner = await GivenPartnerAsync();
        var created = await Admin.PostApiAsync("/api/referral-links", Body(new { partner_id = partner.Int("id") }));
        var id = created.AssertOne(HttpStatusCode.Created).Int("id");
        var read = await Viewer.GetApiAsync($"/api/referral-links/{id}?include=partner");
        var changed = await Admin.PatchApiAsync($"/api/referral-links/{id}", Body(new { target_url = "https://shop.example.com/etag" }), ("If-Match", ETagOf(0)));
        var set = await Operator.PostApiAsync("/api/rewards/rule-sets", Body(new { name = Unique("Tagged ") }));
        var action = await Operator.PostApiAsync("/api/rewards/actions", Body(new { rule_set_id = set.AssertOne(HttpStatusCode.Created).Int("id"), action_type = "purchase", reward_type = "fixed", reward_amount = 1m, currency = "USD" }));
        var list = await Viewer.GetApiAsync($"/api/referral-links?filter[partner_id]={partner.Int("id")}");

        Assert.Equal(ETagOf(0), created.ETag);
        Assert.Equal(ETagOf(0), read.ETag);
        Assert.Equal(1, changed.AssertOne().Long("version"));
        Assert.Equal(ETagOf(1), changed.ETag);
        Assert.Equal(ETagOf(0), set.ETag);
        Assert.Equal(ETagOf(action.AssertOne(HttpStatusCode.Created).Long("version")), action.ETag);
        list.AssertList(total: 1);
        Assert.Null(list.ETag);
    }

    [Fact]
    public async Task A_refused_change_answers_no_etag()
    {
        var partner = await GivenPartnerAsync();

        var stale = await Admin.PatchApiAsync($"/api/partners/{partner.Int("id")}", Body(new { name = Unique("stale ") }), ("If-Match", ETagOf(7)));

        stale.AssertProblem(HttpStatusCode.Conflict);
        Assert.Null(stale.ETag);
    }
}
