using System.Globalization;

namespace NodiRef.Admin.Data;

/// <summary>
/// Partners found by a part of a word anywhere in their name, external id or one of their links' codes,
/// case-insensitively ("ady" finds "Grady", "example.com" finds ids at that domain), by each database's
/// trigram index: <see cref="SqlitePartnerSearch"/> or <see cref="PostgresPartnerSearch"/>, registered by
/// <see cref="AppDatabase.AddAppDatabase"/>. A term shorter than <see cref="PartnerSearch.MinLength"/> has no
/// trigram to look up: callers search those as prefixes, on the B-tree indexes.
/// </summary>
public interface IPartnerSearch
{
    /// <summary>The ids of the partners matching <paramref name="term"/> (at least <see cref="PartnerSearch.MinLength"/> characters), as a query to compose.</summary>
    IQueryable<int> Matching(AppDbContext db, string term);
}

public static class PartnerSearch
{
    /// <summary>A trigram's length: shorter terms are searched as prefixes.</summary>
    public const int MinLength = 3;
}

/// <summary>
/// On SQLite: the FTS5 table <c>partner_search</c> (trigram tokenizer, case-insensitive), one row per partner
/// (rowid = partner id) with its name, external id and link codes, kept by triggers on <c>partners</c> and
/// <c>referral_links</c> (migration <c>PartnerSubstringSearch</c>), so every write path, bulk loads included,
/// keeps it. A phrase query is a substring match over the row's text.
/// </summary>
public sealed class SqlitePartnerSearch : IPartnerSearch
{
    /// <summary>The names of the triggers that keep <c>partner_search</c> begin with it.</summary>
    public const string TriggerPrefix = "partner_search_";

    /// <summary>
    /// The statement that gives every partner from <paramref name="firstPartnerId"/> its search row at once, with
    /// its links' codes: what the triggers would have written row by row (a bulk load suspends them).
    /// </summary>
    public static string IndexFrom(int firstPartnerId) => string.Create(CultureInfo.InvariantCulture, $"""
        INSERT INTO partner_search (rowid, name, external_id, codes)
        SELECT p."Id", p."Name", coalesce(p."ExternalId", ''),
               coalesce((SELECT group_concat(l."Code", char(10)) FROM referral_links AS l WHERE l."PartnerId" = p."Id"), '')
        FROM partners AS p WHERE p."Id" >= {firstPartnerId}
        """);

    public IQueryable<int> Matching(AppDbContext db, string term) =>
        db.Database.SqlQuery<int>($"SELECT rowid AS \"Value\" FROM partner_search WHERE partner_search MATCH {Phrase(term)}");

    /// <summary>The term as one FTS5 phrase (its quotes doubled), so no character of it is query syntax.</summary>
    private static string Phrase(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// On PostgreSQL: <c>LIKE '%term%'</c> over the lower-cased name, the external id (<c>ILIKE</c>) and the
/// upper-cased code, each served by a pg_trgm GIN index (migration <c>PartnerSubstringSearch</c>).
/// </summary>
public sealed class PostgresPartnerSearch : IPartnerSearch
{
    public IQueryable<int> Matching(AppDbContext db, string term)
    {
        var name = "%" + Escape(Partner.ToSearchKey(term)) + "%";
        var id = "%" + Escape(term) + "%";
        var code = "%" + Escape(ReferralCode.ToKey(term)) + "%";
        return db.Partners.Where(p => EF.Functions.Like(p.NameSearch, name, EscapeCharacter) || EF.Functions.ILike(p.ExternalId!, id, EscapeCharacter)).Select(p => p.Id)
            .Union(db.ReferralLinks.Where(l => EF.Functions.Like(l.CodeKey, code, EscapeCharacter)).Select(l => l.PartnerId));
    }

    /// <summary>Named in each LIKE: without one, Npgsql writes <c>ESCAPE ''</c> and the wildcards could not be escaped.</summary>
    private const string EscapeCharacter = "\\";

    /// <summary>The term's LIKE wildcards and escape character taken literally.</summary>
    private static string Escape(string term) =>
        term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
