using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Databases;

/// <summary>
/// The partners grid stays on its indexes on PostgreSQL: its prefix searches are ranges over
/// "C"-collated columns, which B-tree indexes serve whatever the database's locale, and its sorts
/// walk an index that ends with the id tie-break. Checked on the plan of the grid's own SQL, with
/// sequential scans (and for the sorted walk, sorts) priced out: a test database is too small for
/// the planner to want an index.
/// </summary>
public sealed class PostgresIndexTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Laro")]
    [InlineData("usr_0042")]
    [InlineData("example.com")]
    public async Task A_search_of_three_characters_or_more_is_three_trigram_index_lookups(string term)
    {
        var plan = await PlanAsync(db => PartnerService.Filter(db, new PostgresPartnerSearch(), new PartnerQuery(Search: term)).Select(p => p.Id));

        Assert.All(["IX_partners_NameSearch_trgm", "IX_partners_ExternalId_trgm", "IX_referral_links_CodeKey_trgm"], index => Assert.Contains(index, plan, StringComparison.Ordinal));
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("La")]
    [InlineData("u")]
    public async Task A_search_of_one_or_two_characters_is_two_index_ranges(string term)
    {
        var plan = await PlanAsync(db => PartnerService.Filter(db, new PostgresPartnerSearch(), new PartnerQuery(Search: term)).Select(p => p.Id));

        Assert.All(["IX_partners_NameSearch", "IX_partners_ExternalId"], index => Assert.Contains(index, plan, StringComparison.Ordinal));
        Assert.DoesNotContain("_trgm", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("referral_links", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_filter_is_an_index_range()
    {
        var plan = await PlanAsync(db => PartnerService.Filter(db, new PostgresPartnerSearch(), new PartnerQuery(Name: "ada")).Select(p => p.Id));

        Assert.Contains("IX_partners_NameSearch", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_newest_first_page_walks_the_created_index_without_sorting(bool descending)
    {
        var plan = await PlanAsync(db =>
        {
            var q = PartnerService.Filter(db, new PostgresPartnerSearch(), new PartnerQuery());
            q = descending ? q.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id) : q.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id);
            return q.Skip(50).Take(25).Select(p => p.Id);
        },
        "SET enable_sort = off");

        Assert.True(plan.Contains("IX_partners_CreatedAt", StringComparison.Ordinal) && !plan.Contains("Sort", StringComparison.Ordinal), plan);
    }

    private static async Task<string> PlanAsync<T>(Func<AppDbContext, IQueryable<T>> query, string alsoPriceOut = "")
    {
        TestProvider.RequirePostgres();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, Ct);
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(Ct);
        await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off", Ct);
        if (alsoPriceOut.Length > 0)
        {
            await db.Database.ExecuteSqlRawAsync(alsoPriceOut, Ct);
        }

        await using DbCommand command = query(db).CreateDbCommand();
        command.CommandText = "EXPLAIN " + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }
}
