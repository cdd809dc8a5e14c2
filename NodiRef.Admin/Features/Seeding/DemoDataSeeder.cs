using System.Data.Common;
using System.Diagnostics;
using Bogus;
using Microsoft.EntityFrameworkCore;
using NodiRef.Admin.Data;
using NodiRef.Admin.Domain;

namespace NodiRef.Admin.Features.Seeding;

public sealed record SeedOptions(int Partners, int Links, int Projects = 12, int RandomSeed = 20261125);

public sealed record SeedReport(int Projects, int Partners, int Links, TimeSpan Elapsed);

/// <summary>
/// Fills the database with realistic projects, partners and links for demos and benchmarks.
/// Writes with prepared single-row INSERTs in one transaction: a million partners take seconds, not minutes.
/// Adds to what is there; run it on an empty database for clean figures.
/// </summary>
public sealed class DemoDataSeeder(IDbContextFactory<AppDbContext> dbFactory, ILogger<DemoDataSeeder> logger)
{
    public async Task<SeedReport> SeedAsync(SeedOptions options, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var faker = new Faker("en") { Random = new Randomizer(options.RandomSeed) };
        var random = new Random(options.RandomSeed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;", ct);
        }

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

        // Partners, oldest first so ids grow with time as they do in real life.
        var partnerDefaults = new int?[options.Partners];
        var partnerCreated = new DateTime[options.Partners];
        var firstPartnerId = await NextIdAsync(connection, tx, "partners", ct);
        await using (var partnerWriter = new RowWriter(connection, tx, PartnerInsert, 7))
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
                await partnerWriter.WriteAsync([name, Partner.ToSearchKey(name), externalId, status.ToString(), defaultProject, created, created], ct);
            }
        }

        // Links: the first link of each partner in its default project (as the dialog creates it),
        // the rest spread over partners and projects, so partners belong to several projects.
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var linkWriter = new RowWriter(connection, tx, LinkInsert, 8);
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
            await linkWriter.WriteAsync([code, ReferralCode.ToKey(code), firstPartnerId + partnerIndex, projectId, target, metadata, created, created], ct);
        }

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
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA analysis_limit=2000; ANALYZE; PRAGMA optimize;", ct);
        }

        var report = new SeedReport(options.Projects, options.Partners, Math.Min(options.Links, options.Partners == 0 ? 0 : options.Links), watch.Elapsed);
        logger.LogInformation("Seeded {Projects} projects, {Partners} partners and {Links} links in {Elapsed}.", report.Projects, report.Partners, report.Links, report.Elapsed);
        return report;
    }

    private const string PartnerInsert = """INSERT INTO partners ("Name", "NameSearch", "ExternalId", "Status", "DefaultProjectId", "CreatedAt", "UpdatedAt", "Version") VALUES """;
    private const string LinkInsert = """INSERT INTO referral_links ("Code", "CodeKey", "PartnerId", "ProjectId", "TargetUrl", "Metadata", "CreatedAt", "UpdatedAt", "Version") VALUES """;

    /// <summary>One prepared single-row INSERT, re-executed with new values: the fastest path on SQLite.</summary>
    private sealed class RowWriter : IAsyncDisposable
    {
        private readonly DbCommand _command;
        private readonly DbParameter[] _parameters;
        private bool _prepared;

        public RowWriter(DbConnection connection, DbTransaction tx, string insert, int columns)
        {
            _command = connection.CreateCommand();
            _command.Transaction = tx;
            _parameters = new DbParameter[columns];
            var names = new string[columns];
            for (var i = 0; i < columns; i++)
            {
                names[i] = "@p" + i;
                _parameters[i] = _command.CreateParameter();
                _parameters[i].ParameterName = names[i];
                _command.Parameters.Add(_parameters[i]);
            }

            _command.CommandText = insert + "(" + string.Join(",", names) + ",0)";
        }

        public async Task WriteAsync(object?[] row, CancellationToken ct)
        {
            for (var i = 0; i < row.Length; i++)
            {
                _parameters[i].Value = row[i] ?? DBNull.Value;
            }

            if (!_prepared)
            {
                await _command.PrepareAsync(ct);
                _prepared = true;
            }

            await _command.ExecuteNonQueryAsync(ct);
        }

        public ValueTask DisposeAsync() => _command.DisposeAsync();
    }

    private static async Task<int> NextIdAsync(DbConnection connection, DbTransaction tx, string table, CancellationToken ct)
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
