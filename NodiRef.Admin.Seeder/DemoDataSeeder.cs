using Microsoft.Extensions.Logging;
using System.Data.Common;
using System.Diagnostics;
using Bogus;

namespace NodiRef.Admin.Seeder;

public sealed record SeedOptions(int Partners, int Links, int Projects = 12, long Clicks = 0, int RandomSeed = 20261125);

public sealed record SeedReport(int Projects, int Partners, int Links, long Clicks, TimeSpan Elapsed);

/// <summary>
/// Fills the database with realistic projects, partners and links for demos and benchmarks.
/// Writes in one transaction with the database's bulk path (<see cref="IBulkLoader"/>):
/// a million partners take seconds, not minutes. Adds to what is there; run it on an empty database for clean figures.
/// </summary>
public sealed class DemoDataSeeder(IDbContextFactory<AppDbContext> dbFactory, IBulkLoader bulkLoader, ILogger<DemoDataSeeder> logger)
{
    public async Task<SeedReport> SeedAsync(SeedOptions options, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var faker = new Faker("en") { Random = new Randomizer(options.RandomSeed) };
        var random = new Random(options.RandomSeed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await bulkLoader.BeginAsync(connection, ct);

        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        var firstPartnerNumber = await db.Partners.CountAsync(ct) + 1;

        // Projects: a handful of products and campaigns, a few archived.
        var projectIds = new List<int>();
        var existingProjects = await db.Projects.Select(p => p.Name).ToListAsync(ct);
        var taken = new HashSet<string>(existingProjects, StringComparer.Ordinal);
        for (var i = 0; i < options.Projects; i++)
        {
            string name;
            do
            {
                name = $"{faker.Commerce.ProductName()} {faker.PickRandom("Referrals", "Affiliates", "Ambassadors", "Partners", "Creators")}";
            }
            while (!taken.Add(name));

            var slug = faker.Internet.DomainWord();
            var created = now.AddDays(-random.Next(400, 800));
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO projects ("Name", "LandingUrl", "Status", "CreatedAt", "UpdatedAt", "Version")
                VALUES (@name, @url, @status, @created, @created, 0) RETURNING "Id"
                """;
            Add(cmd, "@name", name);
            Add(cmd, "@url", $"https://{slug}.example.com/welcome");
            Add(cmd, "@status", (i % 7 == 6 ? ProjectStatus.Archived : ProjectStatus.Active).ToString());
            Add(cmd, "@created", created);
            projectIds.Add(Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture));
        }

        if (projectIds.Count == 0)
        {
            projectIds.AddRange(await db.Projects.Select(p => p.Id).ToListAsync(ct));
        }

        // Name pools from Bogus, combined at random: realistic and fast.
        var firstNames = Enumerable.Range(0, 3000).Select(_ => faker.Name.FirstName()).ToArray();
        var lastNames = Enumerable.Range(0, 3000).Select(_ => faker.Name.LastName()).ToArray();
        var span = TimeSpan.FromDays(730);
        var start = now - span;

        // Partners, oldest first so ids grow with time as they do in real life. Their ids are
        // written, so the links can refer to them without reading them back.
        var partnerDefaults = new int?[options.Partners];
        var partnerCreated = new DateTime[options.Partners];
        var firstPartnerId = await NextIdAsync(connection, tx, "partners", ct);
        await using (var partnerWriter = bulkLoader.CreateWriter(connection, tx, "partners", PartnerColumns))
        {
            for (var i = 0; i < options.Partners; i++)
            {
                var first = firstNames[random.Next(firstNames.Length)];
                var last = lastNames[random.Next(lastNames.Length)];
                var name = $"{first} {last}";
                var number = firstPartnerNumber + i;
                var externalId = (random.Next(10)) switch
                {
                    < 5 => $"usr_{number:D8}",
                    < 8 => $"{first}.{last}.{number}@example.com".ToLowerInvariant(),
                    9 => null,
                    _ => new Guid(faker.Random.Bytes(16)).ToString(),
                };
                int? defaultProject = random.Next(100) < 85 ? projectIds[random.Next(projectIds.Count)] : null;
                var created = start + TimeSpan.FromTicks((long)(span.Ticks * ((i + random.NextDouble()) / options.Partners)));
                var status = random.Next(100) < 92 ? PartnerStatus.Active : PartnerStatus.Inactive;
                partnerDefaults[i] = defaultProject;
                partnerCreated[i] = created;
                await partnerWriter.WriteAsync([firstPartnerId + i, name, Partner.ToSearchKey(name), externalId, status.ToString(), defaultProject, created, created, 0L], ct);
            }

            await partnerWriter.CompleteAsync(ct);
        }

        // Links: the first link of each partner in its default project (as the dialog creates it),
        // the rest spread over partners and projects, so partners belong to several projects.
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var linkWriter = bulkLoader.CreateWriter(connection, tx, "referral_links", LinkColumns);
        for (var i = 0; i < options.Links && options.Partners > 0; i++)
        {
            var partnerIndex = i < options.Partners ? i : random.Next(options.Partners);
            int? projectId = i < options.Partners && partnerDefaults[partnerIndex] is { } d
                ? d
                : random.Next(100) < 90 ? projectIds[random.Next(projectIds.Count)] : null;
            string code;
            do
            {
                code = ReferralCode.Generate();
            }
            while (!codes.Add(ReferralCode.ToKey(code)));

            var created = partnerCreated[partnerIndex].AddMinutes(i < options.Partners ? 0 : random.Next(1, 60 * 24 * 90));
            if (created > now)
            {
                created = now;
            }

            string? target = random.Next(100) < 30 ? $"https://{faker.Internet.DomainWord()}.example.com/{faker.Internet.DomainWord()}" : null;
            string? metadata = random.Next(100) < 20 ? $"{{\"campaign\":\"{faker.Commerce.Department().ToLowerInvariant()}\"}}" : null;
            await linkWriter.WriteAsync([code, ReferralCode.ToKey(code), firstPartnerId + partnerIndex, projectId, target, metadata, created, created, 0L], ct);
        }

        await linkWriter.CompleteAsync(ct);

        await using (var membership = connection.CreateCommand())
        {
            membership.Transaction = tx;
            membership.CommandText = """
                INSERT INTO partner_projects ("PartnerId", "ProjectId")
                SELECT "PartnerId", "ProjectId" FROM referral_links WHERE "PartnerId" >= @first AND "ProjectId" IS NOT NULL
                UNION
                SELECT "Id", "DefaultProjectId" FROM partners WHERE "Id" >= @first AND "DefaultProjectId" IS NOT NULL
                """;
            Add(membership, "@first", firstPartnerId);
            await membership.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        if (options.Clicks > 0)
        {
            await SeedClicksAsync(connection, options, random, firstPartnerId, ct);
        }

        await bulkLoader.EndAsync(connection, ["partners"], ct);

        var report = new SeedReport(options.Projects, options.Partners, Math.Min(options.Links, options.Partners == 0 ? 0 : options.Links), options.Clicks, watch.Elapsed);
        logger.LogInformation("Seeded {Projects} projects, {Partners} partners, {Links} links and {Clicks} clicks in {Elapsed}.", report.Projects, report.Partners, report.Links, report.Clicks, report.Elapsed);
        return report;
    }

    /// <summary>
    /// Clicks on the new partners' links, popular links getting most of them, over the time since each
    /// link was created; an inactive partner's clicks and a few crawlers' are discarded. The daily
    /// rollups are computed from them at the end, as the writer would have kept them.
    /// </summary>
    private async Task SeedClicksAsync(DbConnection connection, SeedOptions options, Random random, int firstPartnerId, CancellationToken ct)
    {
        var links = new List<(int Id, int PartnerId, int? ProjectId, DateTime CreatedAt, bool Inactive)>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT l."Id", l."PartnerId", l."ProjectId", l."CreatedAt", p."Status"
                FROM referral_links l JOIN partners p ON p."Id" = l."PartnerId"
                WHERE l."PartnerId" >= @first ORDER BY l."Id"
                """;
            Add(read, "@first", firstPartnerId);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                links.Add((reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetDateTime(3), reader.GetString(4) == nameof(PartnerStatus.Inactive)));
            }
        }

        if (links.Count == 0)
        {
            return;
        }

        var firstClickId = await NextIdAsync(connection, null, "clicks", ct);
        var now = DateTime.UtcNow;

        // One transaction, so an interrupted seed leaves no table without its indexes. Where the
        // database loads faster without them (SQLite), the secondary indexes of clicks and of their
        // rollups are dropped for the load and built again once at the end: a sort per index instead
        // of tens of millions of random B-tree inserts (10M clicks: minutes instead of a quarter of an hour).
        await using var tx = await connection.BeginTransactionAsync(ct);
        var indexes = new List<string>();
        foreach (var table in new[] { "clicks", "click_daily" })
        {
            indexes.AddRange(await bulkLoader.DropIndexesAsync(connection, tx, table, ct));
        }

        await using (var writer = bulkLoader.CreateWriter(connection, tx, "clicks", ClickColumns))
        {
            for (long written = 0; written < options.Clicks; written++)
            {
                // Squaring a uniform draw favours the first links: a few partners bring most traffic.
                var u = random.NextDouble();
                var link = links[(int)(u * u * links.Count)];
                var at = link.CreatedAt + TimeSpan.FromTicks((long)((now - link.CreatedAt).Ticks * random.NextDouble()));
                var bot = random.Next(100) < 2;
                var reason = link.Inactive ? DiscardReasons.PartnerInactive : bot ? DiscardReasons.Bot : null;
                var trackingId = Click.NewTrackingId(at);
                await writer.WriteAsync(
                    [
                        trackingId,
                        link.Id, link.PartnerId, link.ProjectId,
                        $"203.0.{random.Next(256)}.{random.Next(256)}",
                        bot ? "Mozilla/5.0 (compatible; Googlebot/2.1)" : "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
                        at,
                        (reason is null ? EventStatus.Recorded : EventStatus.Discarded).ToString(),
                        reason,
                    ],
                    ct);
            }

            await writer.CompleteAsync(ct);
        }

        // The rollups as the click writer would have kept them.
        await bulkLoader.RollUpClicksAsync(connection, tx, firstClickId - 1, ct);

        foreach (var create in indexes)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = create;
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    private static readonly string[] PartnerColumns = ["Id", "Name", "NameSearch", "ExternalId", "Status", "DefaultProjectId", "CreatedAt", "UpdatedAt", "Version"];
    private static readonly string[] LinkColumns = ["Code", "CodeKey", "PartnerId", "ProjectId", "TargetUrl", "Metadata", "CreatedAt", "UpdatedAt", "Version"];
    private static readonly string[] ClickColumns = ["TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "CreatedAt", "Status", "DiscardReason"];

    private static async Task<int> NextIdAsync(DbConnection connection, DbTransaction? tx, string table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"""SELECT COALESCE(MAX("Id"), 0) + 1 FROM {table}""";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Add(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }
}
