using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Duban.Data;

/// <summary>The one DbContext, on SQLite or PostgreSQL; instants are stored in UTC on both.</summary>
public sealed class DubanDbContext(DbContextOptions<DubanDbContext> options)
    : IdentityDbContext<User, IdentityRole<long>, long>(options), IDataProtectionKeyContext
{
    /// <summary>Whether anything has used this context yet. EF Core sets a context up on its first use (calling
    /// <see cref="OnConfiguring"/>), which costs more than an appeal's own checks: an unused context has no transaction
    /// and no changes, and the batching writer can tell so without setting it up.</summary>
    internal bool InUse { get; private set; }

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        InUse = true;
        base.OnConfiguring(optionsBuilder);
    }

    /// <summary>Cookie and antiforgery keys, shared by every instance on the same database.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Matter> Matters => Set<Matter>();
    public DbSet<MatterCoUnit> MatterCoUnits => Set<MatterCoUnit>();
    public DbSet<MilestoneRow> Milestones => Set<MilestoneRow>();
    public DbSet<ItemColourChange> ItemColourChanges => Set<ItemColourChange>();
    public DbSet<MatterEventRow> MatterEvents => Set<MatterEventRow>();
    public DbSet<CodeCounter> CodeCounters => Set<CodeCounter>();
    public DbSet<CalendarYear> CalendarYears => Set<CalendarYear>();
    public DbSet<EscalationRecord> Escalations => Set<EscalationRecord>();
    public DbSet<AccountabilityEntry> AccountabilityEntries => Set<AccountabilityEntry>();
    public DbSet<AccountabilityChange> AccountabilityChanges => Set<AccountabilityChange>();
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<NoticeRead> NoticeReads => Set<NoticeRead>();
    public DbSet<ExtensionRequest> ExtensionRequests => Set<ExtensionRequest>();
    public DbSet<LookBack> LookBacks => Set<LookBack>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<UnitChannel> UnitChannels => Set<UnitChannel>();
    public DbSet<TriageModelRecord> TriageModels => Set<TriageModelRecord>();

    // Similar cases and batches (相似案件、批处理).
    public DbSet<MatterSignature> MatterSignatures => Set<MatterSignature>();
    public DbSet<Batch> Batches => Set<Batch>();
    public DbSet<BatchMember> BatchMembers => Set<BatchMember>();

    public DbSet<Appeal> Appeals => Set<Appeal>();
    public DbSet<RoutingRule> RoutingRules => Set<RoutingRule>();
    public DbSet<PersonalDataView> PersonalDataViews => Set<PersonalDataView>();

    // 包联 (pairing) and import batches.
    public DbSet<Enterprise> Enterprises => Set<Enterprise>();
    public DbSet<EnterprisePairing> EnterprisePairings => Set<EnterprisePairing>();
    public DbSet<Visit> Visits => Set<Visit>();
    public DbSet<VisitProblem> VisitProblems => Set<VisitProblem>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    // Attachments (附件): blobs once per SHA-256, attachment rows per matter, competition entry or target report.
    public DbSet<AttachmentBlob> AttachmentBlobs => Set<AttachmentBlob>();
    public DbSet<Attachment> Attachments => Set<Attachment>();

    // Review counters (讲评): folded per unit and day (and month), the deltas not yet folded, and which matters touched which day.
    public DbSet<UnitDayFacts> UnitDayFacts => Set<UnitDayFacts>();
    public DbSet<UnitMonthFacts> UnitMonthFacts => Set<UnitMonthFacts>();
    public DbSet<UnitFactDelta> UnitFactDeltas => Set<UnitFactDelta>();
    public DbSet<MatterTally> MatterTallies => Set<MatterTally>();
    public DbSet<MatterTallyDelta> MatterTallyDeltas => Set<MatterTallyDelta>();
    public DbSet<AssessmentScheme> AssessmentSchemes => Set<AssessmentScheme>();
    public DbSet<AssessmentSchemeVersion> AssessmentSchemeVersions => Set<AssessmentSchemeVersion>();
    public DbSet<AssessmentResult> AssessmentResults => Set<AssessmentResult>();
    public DbSet<AssessmentAdjustment> AssessmentAdjustments => Set<AssessmentAdjustment>();
    public DbSet<JudgingSession> JudgingSessions => Set<JudgingSession>();
    public DbSet<JudgeScore> JudgeScores => Set<JudgeScore>();
    public DbSet<Competition> Competitions => Set<Competition>();
    public DbSet<CompetitionEntry> CompetitionEntries => Set<CompetitionEntry>();
    public DbSet<CompetitionObjection> CompetitionObjections => Set<CompetitionObjection>();
    public DbSet<UnitDayMatter> UnitDayMatters => Set<UnitDayMatter>();

    // 周交办: numbered weekly sessions, their matters (one session per matter) and the numbering per owner and year.
    public DbSet<WeeklySession> WeeklySessions => Set<WeeklySession>();
    public DbSet<WeeklySessionMatter> WeeklySessionMatters => Set<WeeklySessionMatter>();
    public DbSet<WeeklySessionCounter> WeeklySessionCounters => Set<WeeklySessionCounter>();

    // 考评: 通报 (citations and the units they name), 红黄牌 rules and cards, 约谈 entries and their matters.
    public DbSet<Citation> Citations => Set<Citation>();
    public DbSet<CitationUnit> CitationUnits => Set<CitationUnit>();
    public DbSet<CardRuleRow> CardRules => Set<CardRuleRow>();
    public DbSet<IssuedCardRow> Cards => Set<IssuedCardRow>();
    public DbSet<Interview> Interviews => Set<Interview>();
    public DbSet<InterviewMatter> InterviewMatters => Set<InterviewMatter>();
    // 目标任务: target sets, their items, each unit's or cadre's goal, and reported progress with the office's decisions.
    public DbSet<TargetSet> TargetSets => Set<TargetSet>();
    public DbSet<TargetItem> TargetItems => Set<TargetItem>();
    public DbSet<TargetGoal> TargetGoals => Set<TargetGoal>();
    public DbSet<TargetReport> TargetReports => Set<TargetReport>();

    // Named people on matters (责任领导、责任人、联络员、包案领导) and campaigns (专项行动) with their tagged matters.
    public DbSet<MatterPerson> MatterPeople => Set<MatterPerson>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<MatterCampaign> MatterCampaigns => Set<MatterCampaign>();

    // 领导批示件: the register, the matters each was assigned as, the reports back to the leader, the yearly numbering.
    public DbSet<Instruction> Instructions => Set<Instruction>();
    public DbSet<InstructionMatter> InstructionMatters => Set<InstructionMatter>();
    public DbSet<InstructionReport> InstructionReports => Set<InstructionReport>();
    public DbSet<InstructionCounter> InstructionCounters => Set<InstructionCounter>();

    /// <summary>Page forms' submission keys (<see cref="FormSubmissions"/>).</summary>
    public DbSet<FormSubmission> FormSubmissions => Set<FormSubmission>();

    // 交办通知书 / 督办通知单 (拟办 → 审定 → 下发) and their yearly numbering per kind.
    public DbSet<NoticeDocument> NoticeDocuments => Set<NoticeDocument>();
    public DbSet<NoticeDocumentCounter> NoticeDocumentCounters => Set<NoticeDocumentCounter>();

    /// <summary>Failed sign-ins per user name and source address (<see cref="Data.SignInFailures"/>).</summary>
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    /// <summary>The audit records the open transaction will link into the chain when it commits (<see cref="AuditTrail"/>).</summary>
    internal AuditTrail.Pending? PendingAudit { get; set; }

    /// <summary>The review counters of the save in progress (<see cref="FactLedger"/>).</summary>
    internal FactLedger.Pending? PendingFacts { get; set; }

    /// <summary>Matters read (untracked) for a reader in this unit of work, by matter, reader and unit: a matter
    /// page asks "may this reader see it, and what may they do" of a dozen services, and each would read the matter,
    /// its milestones, co-units and units again. Emptied by every save, so what a command wrote is read afresh.</summary>
    internal Dictionary<(long MatterId, string ActorId, long UnitId), VisibleMatter> ReadMatters { get; } = [];

    /// <summary>How far each reader's view reaches in this unit of work (<see cref="VisibleMatters.ReachAsync"/>): the
    /// 督查室 board asks it for each of its lists. Emptied by every save, as <see cref="ReadMatters"/> is.</summary>
    internal Dictionary<(string ActorId, long UnitId, string Roles), (IQueryable<Matter> Matters, Reach Reach)> Reaches { get; } = [];

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        ReadMatters.Clear();
        Reaches.Clear();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        ReadMatters.Clear();
        Reaches.Clear();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Enums by name: readable in the database and stable when members are added.
        configurationBuilder.Properties<MatterKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterSource>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<MatterAction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Satisfaction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Stage>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Items.ItemRegister>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Items.CycleKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Items.Colour>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Role>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<UnitLevel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<EscalationKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SupervisionLevel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AccountabilityReason>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<AccountabilityStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Audience>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ExtensionStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<LookBackStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryChannel>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(16);

        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset; UTC DateTime text sorts and compares correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcSqliteConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcSqliteConverter>();
        }
        else
        {
            // timestamptz accepts only offset 0 from Npgsql.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder); // Identity's tables first: UserConfiguration refines the user table
        // One IEntityTypeConfiguration<T> per entity, next to it in its feature folder. Nothing here depends on the
        // provider; what does (instants) is a convention above.
        builder.ApplyConfigurationsFromAssembly(typeof(DubanDbContext).Assembly);
    }

    /// <summary>An instant as SQLite holds it: UTC text in the form Microsoft.Data.Sqlite gives a DateTime
    /// (<see cref="SqliteInstants"/>), read back by a parser of that one form rather than the general DateTime parser
    /// (a tenth of a list page's CPU went to parsing its rows' instants).</summary>
    private sealed class UtcSqliteConverter() : ValueConverter<DateTimeOffset, string>(
        v => SqliteInstants.Format(v),
        v => SqliteInstants.Parse(v));

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);
}
