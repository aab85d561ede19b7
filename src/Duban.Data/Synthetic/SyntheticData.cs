using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Duban.Appeals;
using Duban.Calendar;
using Duban.Matters;
using Duban.Synthetic;
using Duban.Tabular;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What to generate: <see cref="Matters"/> matters over the last <see cref="Years"/> years in an organisation of
/// <see cref="Units"/> units, from <see cref="Seed"/>, as of <see cref="Now"/>.</summary>
public sealed record SyntheticOptions(int Matters, int Units, int Years, int Seed, DateTimeOffset Now);

/// <summary>What <see cref="SyntheticData.GenerateAsync"/> wrote, how long each part took, and the sign-ins it made
/// (user name, password) to print once.</summary>
public sealed record SyntheticResult(int Units, long Matters, long Milestones, long Events, long Appeals, int Enterprises, long Visits,
    TimeSpan OrganisationTime, TimeSpan MattersTime, TimeSpan FactsTime, IReadOnlyList<(string UserName, string Password)> SignIns)
{
    /// <summary>Campaigns (专项行动) made, and the matters' tags with them.</summary>
    public int Campaigns { get; init; }

    public long CampaignTags { get; init; }

    /// <summary>Of <see cref="MattersTime"/>: waiting for matters to be made (the lifecycle, texts, signatures run beside the writes).</summary>
    public TimeSpan MakingWait { get; init; }

    /// <summary>Of <see cref="MattersTime"/>: inserting the rows.</summary>
    public TimeSpan InsertTime { get; init; }

    /// <summary>Of <see cref="MattersTime"/>: committing, which links and inserts the rows' audit records.</summary>
    public TimeSpan CommitTime { get; init; }

    /// <summary>Of <see cref="MattersTime"/>: building the secondary indexes over the loaded rows.</summary>
    public TimeSpan IndexTime { get; init; }
}

/// <summary>
/// 合成数据 (<c>duban seed synthetic</c>): a realistic organisation and history written into an empty database — units,
/// a supervision office and cadres, enterprises with their 包联 cadre and visits, the office's campaigns (专项行动,
/// <see cref="SyntheticCampaigns"/>) with the matters they take in, and matters with whole histories
/// made by the product's lifecycle (<see cref="SyntheticHistory"/>), appeals with tracking codes, texts varied from
/// real appeals (<see cref="SyntheticTexts"/>). Rows go in set-based through <see cref="RowWriter"/>, batch by batch,
/// so the audit trail records every row as it would any insert and <c>duban audit verify</c> passes; one record
/// 生成合成数据 says what was asked. The review counters are then rebuilt from the events. Reproducible: the same
/// options give the same rows (ids, codes, texts, times); only the printed passwords are random.
/// </summary>
public sealed class SyntheticData(DubanDbContext db, Rules rules, UserAccounts accounts, ReviewOptions reviewOptions)
{
    /// <summary>Matters per transaction: large enough for few statements, small enough to keep memory flat.</summary>
    private const int Batch = 5_000;

    /// <summary>The real appeals' file under ../shared/data, as the repository's neighbours hold it.</summary>
    public static readonly string AppealsFileName = Path.Combine("appeals-taidi2020", "hot_issue_messages.csv");

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"];
    private static readonly string[] GivenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
        "霞", "平", "刚", "英", "华", "玉", "兰", "文", "辉", "建", "国", "红", "春", "海", "鹏", "宇", "浩", "凯", "婷", "雪", "琳", "志"];
    private static readonly string[] Trades = ["科技", "食品", "机械", "物流", "建材", "纺织", "医药", "电子", "化工", "农业"];

    /// <summary>
    /// A file of <c>shared/data</c> (<paramref name="relative"/> to it, such as <see cref="AppealsFileName"/>): the first
    /// found in the program's folder or a folder above it, else in the working folder or above, so a checkout beside
    /// <c>shared</c> finds it from anywhere; null when neither has it.
    /// </summary>
    public static string? FindSharedData(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Title and body of each appeal in a 泰迪杯-style CSV (columns 留言主题, 留言详情).</summary>
    /// <exception cref="FormatException">The file lacks those columns.</exception>
    public static IReadOnlyList<(string Title, string Body)> ReadAppeals(string path)
    {
        using var reader = new StreamReader(path);
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new FormatException($"文件 {path} 是空的。");
        }

        var header = records.Current.Fields;
        int title = Csv.Column(header, "留言主题"), body = Csv.Column(header, "留言详情");
        if (title < 0 || body < 0)
        {
            throw new FormatException($"文件 {path} 没有「留言主题」和「留言详情」两列。");
        }

        var list = new List<(string, string)>();
        while (records.MoveNext())
        {
            var fields = records.Current.Fields;
            if (fields.Count > Math.Max(title, body))
            {
                list.Add((fields[title], fields[body]));
            }
        }

        return list;
    }

    /// <summary>Writes the synthetic organisation and history.</summary>
    /// <exception cref="RuleConflictException">The database already holds units or matters.</exception>
    public async Task<SyntheticResult> GenerateAsync(SyntheticOptions options, IReadOnlyList<(string Title, string Body)> appeals,
        IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var texts = new SyntheticTexts(appeals);
        if (await db.Units.AnyAsync(cancellationToken) || await db.Matters.AnyAsync(cancellationToken))
        {
            throw new RuleConflictException("数据库里已有单位或事项。合成数据只写入空数据库，以免与真实数据混在一起；请用 --db 指定一个新的数据库。");
        }

        // No command timeout (0 = none, on both engines): a bulk load on a slow or shared disk may wait long on one
        // batch or one index build, and a timeout would throw away what was loaded; the caller bounds the run.
        db.Database.SetCommandTimeout(0);
        await db.Database.OpenConnectionAsync(cancellationToken); // one connection for the run: the load's pragmas hold on it
        try
        {
            var indexes = await BulkLoadAsync(cancellationToken);
            var watch = Stopwatch.StartNew();
            var organisation = await CreateOrganisationAsync(options, cancellationToken);
            var organisationTime = watch.Elapsed;

            watch.Restart();
            var counts = await WriteMattersAsync(options, organisation, texts, progress, cancellationToken);
            var written = watch.Elapsed;
            watch.Restart();
            await LoadedAsync(indexes, cancellationToken);
            var indexTime = watch.Elapsed;

            watch.Restart();
            await FactStore.RebuildAsync(db, rules, reviewOptions.Facts, null, cancellationToken);
            return new SyntheticResult(organisation.UnitCount, options.Matters, counts.Milestones, counts.Events, counts.Appeals,
                organisation.Enterprises.Count, counts.Visits, organisationTime, written + indexTime, watch.Elapsed, organisation.SignIns)
            {
                Campaigns = organisation.Campaigns.Count, CampaignTags = counts.Tags,
                MakingWait = counts.Waiting, InsertTime = counts.Inserting, CommitTime = counts.Committing, IndexTime = indexTime,
            };
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Readies an empty database for loading and returns its secondary indexes (name, definition), which it drops:
    /// built once over the loaded rows (<see cref="LoadedAsync"/>), a sort each, they cost a fraction of keeping them
    /// up to date row by row. SQLite also gets the rollback journal in memory, no fsync (a crash mid-load leaves a file
    /// to delete, which is all it held) and a 256 MB page cache. Keys stay; uniqueness is checked when the indexes are
    /// built again. PostgreSQL keeps its durability (each batch is one transaction).
    /// </summary>
    private async Task<List<(string Name, string Definition)>> BulkLoadAsync(CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        var indexes = new List<(string Name, string Definition)>();
        await using (var query = db.Database.GetDbConnection().CreateCommand())
        {
            query.CommandText = postgres
                ? "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
                    + "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
                : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var sql = new StringBuilder(postgres ? "" : "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY;\n");
        foreach (var index in indexes)
        {
            sql.Append("DROP INDEX ").Append(Quoted(index.Name)).Append(";\n");
        }

        await RunAsync(sql.ToString(), cancellationToken);
        return indexes;
    }

    /// <summary>After the load: the indexes built again, and on SQLite WAL as Duban always runs (<see cref="Database"/>),
    /// the default sync and cache, and a checkpoint so the file stands alone.</summary>
    private async Task LoadedAsync(List<(string Name, string Definition)> indexes, CancellationToken cancellationToken)
    {
        // The keyword index at once (before PostgreSQL's GIN index is built again, so it is built in one go), so the
        // generated database is searched by it from the start.
        await MatterSearch.CatchUpAllAsync(db, null, cancellationToken);

        var sql = new StringBuilder();
        foreach (var (_, definition) in indexes)
        {
            sql.Append(definition).Append(";\n");
        }

        if (!db.Database.IsNpgsql())
        {
            sql.Append("ANALYZE; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-2000; PRAGMA temp_store=DEFAULT; PRAGMA wal_checkpoint(TRUNCATE);");
        }

        await RunAsync(sql.ToString(), cancellationToken);
        if (db.Database.IsNpgsql())
        {
            // VACUUM, not only ANALYZE: it marks the loaded pages all-visible, which index-only scans need (the board's
            // open matters, FasterPairsAndIndexedIds); autovacuum would do it later. Not in a transaction, so on its own.
            await RunAsync("VACUUM (ANALYZE)", cancellationToken);
        }
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Runs statements straight on the open connection: DDL and pragmas, no parameters (EF's raw SQL would
    /// take the braces of nothing, but goes through string.Format).</summary>
    private async Task RunAsync(string sql, CancellationToken cancellationToken)
    {
        if (sql.Length == 0)
        {
            return;
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
#pragma warning disable CA2100 // index definitions read from the database's own catalogue, and fixed pragmas
        command.CommandText = sql;
#pragma warning restore CA2100
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record Organisation(int UnitCount, SyntheticUnits Units, IReadOnlyList<(long Id, long Cadre)> Enterprises,
        IReadOnlyList<(SyntheticCampaign Plan, long Id)> Campaigns, IReadOnlyList<(string UserName, string Password)> SignIns);

    /// <summary>Two 承办人员 (role handler) in each unit, in one transaction; usernames staff-{code}-1 and -2.</summary>
    private async Task CreateStaffAsync(IReadOnlyList<Unit> units, Random random, RowWriter writer, CancellationToken cancellationToken)
    {
        var handler = WireEnum.Name(Role.Handler);
        string Stamp() => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString("N").ToUpperInvariant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var role = await db.Roles.FirstOrDefaultAsync(r => r.Name == handler, cancellationToken);
        if (role is null)
        {
            role = new IdentityRole<long>(handler) { NormalizedName = handler.ToUpperInvariant(), ConcurrencyStamp = Stamp() };
            db.Roles.Add(role);
            await db.SaveChangesAsync(cancellationToken);
        }

        var staff = units.SelectMany(u => Enumerable.Range(1, 2).Select(n =>
        {
            var userName = string.Create(CultureInfo.InvariantCulture, $"staff-{u.Code.ToLowerInvariant()}-{n}");
            var given = GivenNames[random.Next(GivenNames.Length)] + (random.Next(2) == 0 ? GivenNames[random.Next(GivenNames.Length)] : "");
            return new User
            {
                UserName = userName, NormalizedUserName = userName.ToUpperInvariant(), DisplayName = Surnames[random.Next(Surnames.Length)] + given,
                UnitId = u.Id, SecurityStamp = Stamp(), ConcurrencyStamp = Stamp(), LockoutEnabled = true,
            };
        })).ToList();
        var ids = await writer.ReserveIdsAsync<User>(staff.Count, cancellationToken);
        for (var i = 0; i < staff.Count; i++)
        {
            staff[i].Id = ids[i];
        }

        await writer.InsertAsync(staff, cancellationToken);
        await writer.InsertAsync(staff.Select(u => new IdentityUserRole<long> { UserId = u.Id, RoleId = role.Id }).ToList(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Units (one transaction, ids reserved so paths are known), the 督查室 sign-in and one cadre per county,
    /// enterprises with their current pairing, and the record 生成合成数据.</summary>
    private async Task<Organisation> CreateOrganisationAsync(SyntheticOptions options, CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var plan = SyntheticOrganisation.Plan(options.Units);
        var writer = new RowWriter(db);
        var units = new Unit[plan.Count];
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await AuditTrail.RecordAsync(db, "生成合成数据", "database", "synthetic", null,
            [
                KeyValuePair.Create<string, object?>("matters", options.Matters), KeyValuePair.Create<string, object?>("units", options.Units),
                KeyValuePair.Create<string, object?>("years", options.Years), KeyValuePair.Create<string, object?>("seed", options.Seed),
                KeyValuePair.Create<string, object?>("now", options.Now),
            ], cancellationToken);
            var ids = await writer.ReserveIdsAsync<Unit>(plan.Count, cancellationToken);
            for (var i = 0; i < plan.Count; i++)
            {
                var p = plan[i];
                var parent = p.Parent < 0 ? null : units[p.Parent];
                units[i] = new Unit { Id = ids[i], Code = p.Code, Name = p.Name, Level = p.Level, ParentId = parent?.Id, Path = $"{parent?.Path ?? "/"}{ids[i]}/" };
            }

            await writer.InsertAsync(units, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        IReadOnlyList<long> Of(UnitLevel level) => [.. units.Where((u, i) => u.Level == level && i != SyntheticOrganisation.Office).Select(u => u.Id)];
        var office = units[SyntheticOrganisation.Office];
        var supervisor = new Actor("synthetic:督查员", "督查员", office.Id, new HashSet<Role> { Role.Supervisor });
        var villages = Of(UnitLevel.Village);
        var synthetic = new SyntheticUnits(supervisor, Of(UnitLevel.County), Of(UnitLevel.Department), Of(UnitLevel.Township),
            villages.Count > 0 ? villages : Of(UnitLevel.Township));

        // Sign-ins: the office's, printed once; cadres with passwords no one knows (an administrator sets one when wanted).
        var password = UserAccounts.NewPassword(5);
        await accounts.CreateAsync("ducha", "督查员", office.Code, [Role.Supervisor], password, cancellationToken: cancellationToken);
        var cadres = new List<long>();
        foreach (var county in units.Where(u => u.Level == UnitLevel.County))
        {
            var user = await accounts.CreateAsync("cadre-" + county.Code.ToLowerInvariant(), Surnames[random.Next(Surnames.Length)] + "包联", county.Code,
                [Role.Cadre], UserAccounts.NewPassword(8), cancellationToken: cancellationToken);
            cadres.Add(user.Id);
        }

        // Staff, so the people pickers and a person's page meet a county's directory: two 承办人员 accounts in every
        // unit but the office, written as rows (no one signs in as them: no password to hash; an administrator sets
        // one when wanted). Their names come from a stream of their own, so the matters a seed gives stay the same.
        await CreateStaffAsync(units.Where((_, i) => i != SyntheticOrganisation.Office).ToList(), new Random(unchecked(options.Seed * 31 + 7)), writer,
            cancellationToken);

        // Enterprises, one per 1,000 matters (at least 5), each paired with a cadre since the history began.
        var start = ChinaTime.DateOf(options.Now.AddYears(-options.Years));
        var enterprises = new List<Enterprise>();
        for (var i = 0; i < Math.Max(5, options.Matters / 1000); i++)
        {
            enterprises.Add(new Enterprise
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"合成{Trades[random.Next(Trades.Length)]}有限公司{i + 1}"),
                CreditCode = string.Create(CultureInfo.InvariantCulture, $"91{i:D16}"),
                RegionUnitId = synthetic.Townships[random.Next(synthetic.Townships.Count)],
                CreatedAt = options.Now.AddYears(-options.Years),
            });
        }

        // The office's campaigns, from a stream of their own (the matters a seed gives stay the same).
        var plans = SyntheticCampaigns.Plan(new Random(unchecked((options.Seed * 7_919) + 3)), start, ChinaTime.DateOf(options.Now));
        var campaigns = plans.Select(p => new Campaign
        {
            Name = p.Name, From = p.From, To = p.To, OwnerUnitId = office.Id, CreatedBy = supervisor.Name,
            CreatedAt = ChinaTime.StartOf(p.From.AddDays(-7)),
        }).ToList();
        var pairings = new List<EnterprisePairing>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var campaignIds = await writer.ReserveIdsAsync<Campaign>(campaigns.Count, cancellationToken);
            for (var i = 0; i < campaigns.Count; i++)
            {
                campaigns[i].Id = campaignIds[i];
            }

            await writer.InsertAsync(campaigns, cancellationToken);
            await writer.InsertAsync(enterprises, cancellationToken);
            pairings.AddRange(enterprises.Select(e => new EnterprisePairing
            {
                EnterpriseId = e.Id, CadreId = cadres[random.Next(cadres.Count)], From = start, CreatedById = supervisor.Id,
                CreatedByName = supervisor.Name, CreatedAt = e.CreatedAt,
            }));
            await writer.InsertAsync(pairings, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new Organisation(units.Length, synthetic, [.. pairings.Select(p => (p.EnterpriseId, p.CadreId))],
            [.. plans.Select((p, i) => (p, campaigns[i].Id))], [("ducha", password)]);
    }

    private sealed record Written(long Milestones, long Events, long Appeals, long Visits, long Tags, TimeSpan Waiting, TimeSpan Inserting,
        TimeSpan Committing);

    /// <summary>Rows of one batch, made off the writing thread; a tag names its matter by its index in the batch.</summary>
    private sealed record Made(List<Matter> Matters, List<Appeal?> Appeals, List<Visit> Visits, List<MatterSignature> Signatures,
        List<(int Matter, long Campaign)> Tags);

    private async Task<Written> WriteMattersAsync(SyntheticOptions options, Organisation organisation,
        SyntheticTexts texts, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<Made>(2);
        var counters = new Dictionary<int, long>();
        var producer = Task.Run(async () =>
        {
            try
            {
                // Matters' own random stream, apart from the organisation's, so the one does not shift the other; derived
                // by plain arithmetic (HashCode is seeded afresh in every process, so it would differ from run to run).
                var random = new Random(unchecked((options.Seed * 1_000_003) + 19));
                var tagging = new Random(unchecked((options.Seed * 104_729) + 11)); // campaigns' draws, a stream of their own
                var campaigns = organisation.Campaigns.Select(c => c.Plan).ToList();
                var lifecycle = rules.Lifecycle();
                var span = TimeSpan.FromDays(365.25 * options.Years);
                for (var first = 0; first < options.Matters; first += Batch)
                {
                    var made = new Made([], [], [], [], []);
                    for (var i = first; i < Math.Min(options.Matters, first + Batch); i++)
                    {
                        var assignedAt = options.Now - span * random.NextDouble();
                        foreach (var campaign in SyntheticCampaigns.Tags(tagging, campaigns, ChinaTime.DateOf(assignedAt)))
                        {
                            made.Tags.Add((made.Matters.Count, organisation.Campaigns[campaign].Id));
                        }

                        Make(random, lifecycle, assignedAt, options.Now, organisation, texts, counters, made);
                    }

                    await batches.Writer.WriteAsync(made, cancellationToken);
                }

                batches.Writer.Complete();
            }
            catch (Exception e)
            {
                batches.Writer.Complete(e);
            }
        }, cancellationToken);

        long milestones = 0, events = 0, appeals = 0, visits = 0, tags = 0, done = 0;
        var writer = new RowWriter(db);
        // Where the time goes: waiting for the maker (lifecycle, texts), inserting rows, committing (which links and
        // inserts the batch's audit records).
        Stopwatch waiting = Stopwatch.StartNew(), inserting = new(), committing = new();
        await foreach (var made in batches.Reader.ReadAllAsync(cancellationToken))
        {
            waiting.Stop();
            inserting.Start();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var matters = made.Matters;
            var matterIds = await writer.ReserveIdsAsync<Matter>(matters.Count, cancellationToken);
            for (var i = 0; i < matters.Count; i++)
            {
                matters[i].Id = matterIds[i];
            }

            var milestoneRows = matters.SelectMany(m => m.Milestones.Select(r => { r.MatterId = m.Id; return r; })).ToList();
            var eventRows = matters.SelectMany(m => m.Events.Select(r => { r.MatterId = m.Id; return r; })).ToList();
            var coUnits = matters.SelectMany(m => m.CoUnits.Select(r => { r.MatterId = m.Id; return r; })).ToList();
            var appealRows = new List<Appeal>();
            for (var i = 0; i < matters.Count; i++)
            {
                if (made.Appeals[i] is { } appeal)
                {
                    appeal.MatterId = matters[i].Id;
                    appealRows.Add(appeal);
                }
            }

            await writer.InsertAsync(matters, cancellationToken);
            await writer.InsertAsync(milestoneRows, cancellationToken);
            await writer.InsertAsync(eventRows, cancellationToken);
            await writer.InsertAsync(coUnits, cancellationToken);
            await writer.InsertAsync(appealRows, cancellationToken);
            await writer.InsertAsync(made.Visits, cancellationToken);
            var problems = made.Visits.SelectMany(v => v.Problems.Select(p =>
            {
                p.VisitId = v.Id;
                p.AppealId = p.AppealId is { } index ? appealRows[(int)index].Id : null;
                return p;
            })).ToList();
            await writer.InsertAsync(problems, cancellationToken);
            made.Signatures.ForEach(signature => signature.MatterId = signature.Matter!.Id);
            await writer.InsertAsync(made.Signatures, cancellationToken);
            await writer.InsertAsync(made.Tags.Select(t => new MatterCampaign { MatterId = matters[t.Matter].Id, CampaignId = t.Campaign }).ToList(),
                cancellationToken);
            inserting.Stop();
            committing.Start();
            await transaction.CommitAsync(cancellationToken);
            committing.Stop();
            waiting.Start();

            milestones += milestoneRows.Count;
            events += eventRows.Count;
            appeals += appealRows.Count;
            visits += made.Visits.Count;
            tags += made.Tags.Count;
            done += matters.Count;
            progress?.Report(done);
        }

        waiting.Stop();
        await producer;
        // The code counters as AssignMatter would have left them.
        db.CodeCounters.AddRange(counters.OrderBy(c => c.Key).Select(c => new CodeCounter { Year = c.Key, Last = c.Value }));
        await db.SaveChangesAsync(cancellationToken);
        return new Written(milestones, events, appeals, visits, tags, waiting.Elapsed, inserting.Elapsed, committing.Elapsed);
    }

    /// <summary>One matter with its rows; an appeal's intake facts; an appeal raised on a visit gets its visit, and
    /// every tenth matter a visit with nothing raised beside it.</summary>
    private void Make(Random random, MatterLifecycle lifecycle, DateTimeOffset assignedAt, DateTimeOffset now, Organisation organisation,
        SyntheticTexts texts, Dictionary<int, long> counters, Made made)
    {
        var built = SyntheticHistory.Build(random, lifecycle, organisation.Units, assignedAt, now);
        var (title, content) = texts.Next(random);
        var year = ChinaTime.DateOf(assignedAt).Year;
        var number = counters[year] = counters.GetValueOrDefault(year) + 1;
        var matter = new Matter
        {
            Code = FormattableString.Invariant($"DB-{year}-{number:D6}"),
            Source = built.Source,
            Title = title,
            Content = content,
            Goal = built.Kind == MatterKind.Assignment ? "按期解决问题，做到事事有回音" : null,
            Standard = built.Kind == MatterKind.Assignment ? "问题整改到位，群众满意" : null,
            Profile = built.State.Profile,
        };
        matter.Store(built.State, rules);
        matter.Events.AddRange(built.Events.Select(MatterEventRow.From));
        made.Matters.Add(matter);
        made.Signatures.Add(MatterSignature.For(matter)); // its MatterId once the batch has ids

        Appeal? appeal = null;
        if (built.Kind == MatterKind.Appeal)
        {
            var state = built.State;
            var replied = state.Status is MatterStatus.Verified or MatterStatus.Rated or MatterStatus.Closed;
            appeal = new Appeal
            {
                TrackingCode = new string(random.GetItems(TrackingCode.Alphabet.AsSpan(), TrackingCode.Length)),
                Category = AppealCategories.All[random.Next(AppealCategories.All.Count)],
                RegionUnitId = state.LeadUnitId,
                ContactName = Surnames[random.Next(Surnames.Length)] + (random.Next(2) == 0 ? "先生" : "女士"),
                ContactPhone = string.Create(CultureInfo.InvariantCulture, $"13{random.Next(1_000_000_000):D9}"),
                ReceivedAt = assignedAt,
                PublicReply = replied ? "您反映的问题已交由相关单位办理，现已办结。感谢您的监督。" : null,
                RepliedAt = replied ? state.VerifiedAt : null,
            };
        }

        made.Appeals.Add(appeal);
        var raised = built.Source == MatterSource.Visit; // only appeals come from visits
        if (raised || random.Next(10) == 0)
        {
            var (enterprise, cadre) = organisation.Enterprises[random.Next(organisation.Enterprises.Count)];
            var visit = new Visit
            {
                EnterpriseId = enterprise, CadreId = cadre, Date = ChinaTime.DateOf(assignedAt), RecordedAt = assignedAt,
                Content = raised ? "走访企业，企业反映问题，已现场登记为诉求。" : "走访企业，了解生产经营情况，企业暂无诉求。",
            };
            if (raised)
            {
                // The appeal's index among this batch's appeals; its id is known once the batch is written.
                visit.Problems.Add(new VisitProblem { Position = 1, Title = title, AppealId = made.Appeals.Count(a => a is not null) - 1 });
            }

            made.Visits.Add(visit);
        }
    }
}
