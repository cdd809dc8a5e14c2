using Microsoft.Extensions.Logging;
using System.Data.Common;
using System.Diagnostics;
using Bogus;

namespace NodiRef.Admin.Seeder;

public sealed record SeedOptions(int Partners, int Links, int Projects = 12, long Clicks = 0, int Conversions = 0, int RandomSeed = 20261125);

public sealed record SeedReport(int Projects, int Partners, int Links, long Clicks, int Conversions, TimeSpan Elapsed);

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
        var searchAfterLoad = await bulkLoader.SuspendPartnerSearchAsync(connection, tx, firstPartnerId, ct);
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

        await ExecuteAllAsync(connection, tx, searchAfterLoad, ct);

        await tx.CommitAsync(ct);
        if (options.Clicks > 0)
        {
            await SeedClicksAsync(connection, options, random, firstPartnerId, ct);
        }

        var conversions = options.Conversions > 0 ? await SeedConversionsAsync(connection, options, random, ct) : 0;
        await bulkLoader.EndAsync(connection, ["partners"], ct);
        if (conversions > 0)
        {
            // Referrals, conversions and rewards were written around the context: their daily rollups are counted once, here.
            await db.Database.CloseConnectionAsync();
            await using var rollups = await dbFactory.CreateDbContextAsync(ct);
            rollups.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await EventRollups.RebuildAsync(rollups, ct);
        }

        var report = new SeedReport(options.Projects, options.Partners, Math.Min(options.Links, options.Partners == 0 ? 0 : options.Links), options.Clicks, conversions, watch.Elapsed);
        logger.LogInformation("Seeded {Projects} projects, {Partners} partners, {Links} links, {Clicks} clicks and {Conversions} conversions in {Elapsed}.",
            report.Projects, report.Partners, report.Links, report.Clicks, report.Conversions, report.Elapsed);
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

        await ExecuteAllAsync(connection, tx, indexes, ct);

        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Sign-ups and sales on the seeded clicks: about three referrals per conversion, each from a recorded click (so at its
    /// time, link, partner and project); sales in USD, EUR and GBP with amounts from a few units to a few hundred, mostly
    /// accepted (some rejected or held as suspicious), a few refunded; a 10 % reward per accepted sale from one rule set,
    /// pending, approved or paid by age, reversed when refunded. Bulk-loaded in one transaction.
    /// </summary>
    private async Task<int> SeedConversionsAsync(DbConnection connection, SeedOptions options, Random random, CancellationToken ct)
    {
        var referralsWanted = (long)options.Conversions * 3;
        var clicks = new List<(long Id, Guid TrackingId, int LinkId, int PartnerId, int? ProjectId, DateTime At)>();
        long recorded;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = """SELECT COUNT(*) FROM clicks WHERE "Status" = 'Recorded'""";
            recorded = Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (recorded == 0)
        {
            throw new InvalidOperationException("Conversions are seeded on recorded clicks: seed clicks too (--clicks).");
        }

        // Every k-th recorded click becomes a sign-up: spread over the whole history, popular links first as the clicks are.
        var every = Math.Max(1, recorded / Math.Max(1, referralsWanted));
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = """
                SELECT "Id", "TrackingId", "LinkId", "PartnerId", "ProjectId", "CreatedAt" FROM clicks
                WHERE "Status" = 'Recorded' AND "Id" % @every = 0 ORDER BY "Id"
                """;
            Add(read, "@every", every);
            read.CommandTimeout = 0;
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct) && clicks.Count < referralsWanted)
            {
                clicks.Add((reader.GetInt64(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetDateTime(5)));
            }
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = DateTime.UtcNow;
        var (ruleSetId, actions) = await SeedRuleSetAsync(connection, tx, now, ct);
        var firstReferralId = await NextIdAsync(connection, tx, "referrals", ct);
        var signedUp = new List<DateTime>(clicks.Count);
        await using (var writer = bulkLoader.CreateWriter(connection, tx, "referrals", ReferralColumns))
        {
            var n = 0;
            foreach (var c in clicks)
            {
                // A sign-up follows its click within the hour, and never later than now.
                var at = c.At.AddSeconds(random.Next(5, 3600));
                at = at > now ? now : at;
                signedUp.Add(at);
                await writer.WriteAsync([Guid.CreateVersion7(at), c.TrackingId, c.Id, c.LinkId, c.PartnerId, c.ProjectId, c.ProjectId ?? 0, $"user_{++n}",
                    "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36", at, nameof(EventStatus.Recorded), null], ct);
            }

            await writer.CompleteAsync(ct);
        }

        var firstConversionId = await NextIdAsync(connection, tx, "conversions", ct);
        var sales = new List<(long Id, int Referral, string Currency, long Units, DateTime At, ConversionStatus Status, bool Refunded)>(options.Conversions);
        string[] currencies = ["USD", "USD", "USD", "EUR", "EUR", "GBP"];
        await using (var writer = bulkLoader.CreateWriter(connection, tx, "conversions", ConversionColumns))
        {
            for (var i = 0; i < options.Conversions && clicks.Count > 0; i++)
            {
                // Most sign-ups buy once, some twice or more: sales are drawn from the first two thirds of the sign-ups.
                var referral = random.Next(Math.Max(1, clicks.Count * 2 / 3));
                var click = clicks[referral];
                var at = click.At.AddHours(1).AddMinutes(random.Next(0, 60 * 24 * 20));
                if (at > now)
                {
                    // A recent sign-up's sale: somewhere between the sign-up and now.
                    at = signedUp[referral] + TimeSpan.FromTicks((long)((now - signedUp[referral]).Ticks * random.NextDouble()));
                }

                var currency = currencies[random.Next(currencies.Length)];
                var amount = decimal.Round((decimal)Math.Exp(random.NextDouble() * 4.5 + 1.5), 2);
                var draw = random.Next(100);
                var status = draw < 4 ? ConversionStatus.Rejected : draw < 6 ? ConversionStatus.Suspicious : ConversionStatus.Accepted;
                var refunded = status == ConversionStatus.Accepted && random.Next(100) < 3;
                var units = MoneyUnits.ToUnits(amount);
                sales.Add((firstConversionId + i, referral, currency, units, at, status, refunded));
                await writer.WriteAsync([Guid.CreateVersion7(at), $"order-{firstConversionId + i}", (long)firstReferralId + referral, click.PartnerId, click.LinkId, click.ProjectId,
                    ConversionTypes.Purchase, units, currency, $"plan-{random.Next(1, 6)}", 1, status.ToString(), at, status == ConversionStatus.Suspicious ? null : at.AddSeconds(1),
                    status == ConversionStatus.Suspicious ? ConversionReasons.SelfReferral : null, null, 0L], ct);
            }

            // Refunds of a few accepted sales, a week or so later (all of it).
            var next = firstConversionId + sales.Count;
            foreach (var sale in sales.Where(s => s.Refunded))
            {
                var click = clicks[sale.Referral];
                var at = sale.At.AddDays(random.Next(1, 14));
                at = at > now ? now : at;
                await writer.WriteAsync([Guid.CreateVersion7(at), $"refund-{sale.Id}", (long)firstReferralId + sale.Referral, click.PartnerId, click.LinkId, click.ProjectId,
                    ConversionTypes.Refund, sale.Units, sale.Currency, null, 1, nameof(ConversionStatus.Accepted), at, at, null, sale.Id, 0L], ct);
                next++;
            }

            await writer.CompleteAsync(ct);
        }

        await using (var writer = bulkLoader.CreateWriter(connection, tx, "rewards", RewardColumns))
        {
            foreach (var sale in sales.Where(s => s.Status == ConversionStatus.Accepted))
            {
                var click = clicks[sale.Referral];
                var age = now - sale.At;
                var status = sale.Refunded ? RewardStatus.Reversed : age > TimeSpan.FromDays(60) ? RewardStatus.Paid : age > TimeSpan.FromDays(30) ? RewardStatus.Approved : RewardStatus.Pending;
                var at = sale.At.AddSeconds(1);
                await writer.WriteAsync([sale.Id, click.PartnerId, click.LinkId, click.ProjectId, ruleSetId, actions[sale.Currency], sale.Units / 10, sale.Currency, status.ToString(), at,
                    status is RewardStatus.Approved or RewardStatus.Paid ? at.AddDays(30) : null, status == RewardStatus.Paid ? at.AddDays(60) : null, 0L], ct);
            }

            await writer.CompleteAsync(ct);
        }

        await tx.CommitAsync(ct);
        return sales.Count;
    }

    /// <summary>One program-wide rule set: 10 % of each sale, in each seeded currency.</summary>
    private static async Task<(int RuleSetId, Dictionary<string, int> Actions)> SeedRuleSetAsync(DbConnection connection, DbTransaction tx, DateTime now, CancellationToken ct)
    {
        int ruleSetId;
        await using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO reward_rule_sets ("Name", "Description", "Scope", "ScopeId", "IsActive", "CreatedAt", "UpdatedAt", "Version")
                VALUES (@name, 'Seeded: 10 % of every sale', 'All', NULL, @active, @now, @now, 0) RETURNING "Id"
                """;
            Add(cmd, "@name", $"Demo rewards {now:yyyyMMddHHmmss}");
            Add(cmd, "@active", true);
            Add(cmd, "@now", now);
            ruleSetId = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        var actions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var currency in new[] { "USD", "EUR", "GBP" })
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO reward_actions ("RuleSetId", "ActionType", "RewardType", "RewardAmountUnits", "MaxCapUnits", "Currency", "CreatedAt", "UpdatedAt", "Version")
                VALUES (@set, 'purchase', 'Percentage', @amount, NULL, @currency, @now, @now, 0) RETURNING "Id"
                """;
            Add(cmd, "@set", ruleSetId);
            Add(cmd, "@amount", MoneyUnits.ToUnits(10m));
            Add(cmd, "@currency", currency);
            Add(cmd, "@now", now);
            actions[currency] = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }

        return (ruleSetId, actions);
    }

    private static readonly string[] ReferralColumns = ["PublicId", "TrackingId", "ClickId", "LinkId", "PartnerId", "ProjectId", "ProjectKey", "ExternalId", "IpAddress", "UserAgent", "CreatedAt", "Status", "DiscardReason"];
    private static readonly string[] ConversionColumns =
        ["PublicId", "EventKey", "ReferralId", "PartnerId", "LinkId", "ProjectId", "EventType", "AmountUnits", "Currency", "ProductId", "Quantity", "Status", "CreatedAt", "ProcessedAt", "Reason", "ReversesConversionId", "Version"];
    private static readonly string[] RewardColumns = ["ConversionId", "PartnerId", "LinkId", "ProjectId", "RuleSetId", "ActionId", "AmountUnits", "Currency", "Status", "CreatedAt", "ApprovedAt", "PaidAt", "Version"];

    private static readonly string[] PartnerColumns = ["Id", "Name", "NameSearch", "ExternalId", "Status", "DefaultProjectId", "CreatedAt", "UpdatedAt", "Version"];
    private static readonly string[] LinkColumns = ["Code", "CodeKey", "PartnerId", "ProjectId", "TargetUrl", "Metadata", "CreatedAt", "UpdatedAt", "Version"];
    private static readonly string[] ClickColumns = ["TrackingId", "LinkId", "PartnerId", "ProjectId", "IpAddress", "UserAgent", "CreatedAt", "Status", "DiscardReason"];

    /// <summary>Statements a loader answered to run after a load (indexes, triggers), in order, without a time limit.</summary>
    private static async Task ExecuteAllAsync(DbConnection connection, DbTransaction tx, IEnumerable<string> statements, CancellationToken ct)
    {
        foreach (var statement in statements)
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = statement;
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

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
