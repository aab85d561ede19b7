using System.Globalization;
using Duban.Calendar;
using Duban.Documents;
using Duban.Escalation;
using Duban.Matters;
using Duban.Text;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>What the office types when drafting or editing a paper; blanks take the generated defaults.</summary>
/// <param name="Kind">assignment (交办通知书) or supervision (督办通知单); ignored on edit.</param>
/// <param name="Title">标题; blank: 关于交办“…”的通知.</param>
/// <param name="Requirements">办理要求; blank: the kind's usual words.</param>
/// <param name="Contact">联系人; blank: the drafter.</param>
/// <param name="Phone">联系电话, if any.</param>
/// <param name="CopyTo">抄送; on drafting, null offers the co-units.</param>
public sealed record NoticeDraftInput(string? Kind, string? Title = null, string? Requirements = null, string? Contact = null,
    string? Phone = null, string? CopyTo = null);

/// <summary>A paper in a list.</summary>
public sealed record NoticeSummary(long Id, long MatterId, string MatterCode, string MatterTitle, NoticeKind Kind, string KindName,
    string? Number, string Title, NoticeDocumentStatus Status, string StatusName, string DraftedBy, DateTimeOffset DraftedAt,
    DateTimeOffset? IssuedAt, bool MayApprove);

/// <summary>A paper as it prints, with its steps and what the reader may do next.</summary>
public sealed record NoticePaperView(long Id, long MatterId, string MatterCode, string MatterTitle, NoticeKind Kind, string KindName,
    NoticeDocumentStatus Status, string StatusName, string Office, string? Number, string Title, string Salutation,
    IReadOnlyList<string> Paragraphs, string? Signer, DateTimeOffset? IssuedAt, string? CopyTo, string Requirements, string Contact,
    string? Phone, string DraftedBy, DateTimeOffset DraftedAt, DateTimeOffset? ApprovedAt, string? ApprovalNote, string? ReturnedBy,
    DateTimeOffset? ReturnedAt, string? ReturnNote, string? IssuedBy, bool RequireApproval, bool MayEdit, bool MayApprove, bool MayIssue)
{
    /// <summary>The 文号 as printed: the number once issued, else a blank the issue fills (督交〔　〕号).</summary>
    public string NumberText => Number ?? $"{NoticePaper.Prefix(Kind)}〔　　〕　号";

    /// <summary>The date line: the day of 下发, or blanks before.</summary>
    public string DateText => IssuedAt is { } at ? NoticePaper.ChinaDate(at) : "　　年　月　日";
}

/// <summary>The blank form for a new paper: the matter and the defaults.</summary>
public sealed record NoticeDraftForm(long MatterId, string MatterCode, string MatterTitle, NoticeKind Kind, string Title,
    string Requirements, string Contact, string? Phone, string? CopyTo);

/// <summary>
/// 交办通知书 / 督办通知单 through 拟办 → 审定 → 下发. The office (督查室 or an administrator on the assigning side of the
/// matter) drafts, edits and issues; a leader whose unit covers the office approves (审定) or returns (退回) with a
/// reason; <see cref="NoticeOptions.RequireApproval"/> off lets the office issue a draft directly. Issuing numbers the
/// paper (per kind and year, no gap, no duplicate), puts it in the lead and co-units' inbox (<see cref="Notice"/>), and
/// for a 督办通知单 records the 督办 through <see cref="Supervision"/> (the same record as the matter page's 督办 form), in
/// one transaction. Units see a paper once it is issued; drafts are the office's and the leaders' (404 for others).
/// </summary>
public sealed class NoticeDocuments(DubanDbContext db, Supervision supervision, NoticeOptions options, TimeProvider clock)
{
    public const int MaxTitle = 200, MaxRequirements = 2000, MaxName = 50, MaxPhone = 40, MaxCopyTo = 300, MaxNote = 1000, MaxListed = 300;

    /// <summary>Whether a leader must approve before 下发.</summary>
    public bool RequireApproval => options.RequireApproval;

    /// <summary>The status as the office says it.</summary>
    public string StatusName(NoticeDocumentStatus status) => status switch
    {
        NoticeDocumentStatus.Drafted => options.RequireApproval ? "待审定" : "拟办中",
        NoticeDocumentStatus.Approved => "已审定",
        NoticeDocumentStatus.Issued => "已下发",
        NoticeDocumentStatus.Returned => "已退回",
    };

    /// <summary>Reads assignment / supervision (also 交办 / 督办).</summary>
    public static bool TryParseKind(string? text, out NoticeKind kind)
    {
        switch (text?.Trim())
        {
            case "交办" or "交办通知书":
                kind = NoticeKind.Assignment;
                return true;
            case "督办" or "督办通知单":
                kind = NoticeKind.Supervision;
                return true;
            default:
                return WireEnum.TryParse(text, out kind);
        }
    }

    /// <summary>Whether the actor may draft papers at all (the menu and the matter page ask).</summary>
    public static bool MayDraftAny(Actor actor) => actor is not null && (actor.Has(Role.Supervisor) || actor.Has(Role.Admin));

    /// <summary>The blank form for a new paper on a matter, with the generated title and 办理要求.</summary>
    /// <exception cref="NotFoundException">No such matter, or out of sight.</exception>
    /// <exception cref="ForbiddenException">Not the office of this matter.</exception>
    public async Task<NoticeDraftForm> NewFormAsync(long matterId, string? kindText, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var kind = ParseKind(kindText);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        EnsureOffice(actor, state, tree); // open or not is checked when the draft is saved, where the form can say so
        return new NoticeDraftForm(matter.Id, matter.Code, matter.Title, kind, NoticePaper.DefaultTitle(kind, matter.Title),
            NoticePaper.DefaultRequirements(kind), actor.Name, await PhoneOfAsync(actor, cancellationToken), await DefaultCopyToAsync(matter, cancellationToken));
    }

    /// <summary>拟办: a new paper for the matter, its text generated from the matter and the office's words.</summary>
    /// <returns>The paper's id.</returns>
    public async Task<long> DraftAsync(long matterId, NoticeDraftInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var kind = ParseKind(input.Kind);
        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        EnsureOffice(actor, state, tree);
        EnsureOpen(matter, kind);
        var words = Validate(input, kind, matter.Title, actor);
        var now = clock.GetUtcNow();
        var document = new NoticeDocument
        {
            MatterId = matter.Id,
            Kind = kind,
            OfficeUnitId = actor.UnitId,
            Title = words.Title,
            Body = await BodyAsync(matter, kind, actor.UnitId, words, cancellationToken),
            Requirements = words.Requirements,
            Contact = words.Contact,
            Phone = words.Phone,
            CopyTo = input.CopyTo is null ? await DefaultCopyToAsync(matter, cancellationToken) : words.CopyTo,
            Status = NoticeDocumentStatus.Drafted,
            DraftedById = actor.Id,
            DraftedByName = actor.Name,
            DraftedAt = now,
        };
        db.NoticeDocuments.Add(document);
        await db.SaveChangesAsync(cancellationToken);
        return document.Id;
    }

    /// <summary>Edits a draft (or a returned paper, which goes back for 审定); the text is generated again.</summary>
    public async Task EditAsync(long id, NoticeDraftInput input, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(actor);
        var (document, matter, state, tree) = await LoadAsync(id, actor, track: true, cancellationToken);
        EnsureOffice(actor, state, tree);
        if (document.Status is not (NoticeDocumentStatus.Drafted or NoticeDocumentStatus.Returned))
        {
            throw new RuleConflictException($"通知书{StatusName(document.Status)}，不能再修改。");
        }

        var words = Validate(input, document.Kind, matter.Title, actor);
        document.Title = words.Title;
        document.Requirements = words.Requirements;
        document.Contact = words.Contact;
        document.Phone = words.Phone;
        document.CopyTo = words.CopyTo;
        document.Body = await BodyAsync(matter, document.Kind, document.OfficeUnitId, words, cancellationToken);
        document.Status = NoticeDocumentStatus.Drafted;
        document.EditedAt = clock.GetUtcNow();
        await SaveStepAsync(document, cancellationToken);
    }

    /// <summary>审定: a leader whose unit covers the office approves the draft as it stands.</summary>
    public async Task ApproveAsync(long id, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (document, _, _, tree) = await LoadAsync(id, actor, track: true, cancellationToken);
        EnsureLeader(actor, document, tree);
        EnsureDrafted(document, "审定");
        var text = UserText.Clean(note);
        if (text is { Length: > MaxNote })
        {
            throw ValidationFailedException.For("note", $"审定意见不能超过 {MaxNote} 字。");
        }

        document.Status = NoticeDocumentStatus.Approved;
        document.ApprovedById = actor.Id;
        document.ApprovedByName = actor.Name;
        document.ApprovedAt = clock.GetUtcNow();
        document.ApprovalNote = text;
        await SaveStepAsync(document, cancellationToken);
    }

    /// <summary>退回: a leader sends the draft back to the office with a reason.</summary>
    public async Task ReturnAsync(long id, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (document, _, _, tree) = await LoadAsync(id, actor, track: true, cancellationToken);
        EnsureLeader(actor, document, tree);
        EnsureDrafted(document, "退回");
        var text = UserText.Clean(reason) ?? throw ValidationFailedException.For("reason", "请填写退回理由。");
        if (text.Length > MaxNote)
        {
            throw ValidationFailedException.For("reason", $"退回理由不能超过 {MaxNote} 字。");
        }

        document.Status = NoticeDocumentStatus.Returned;
        document.ReturnedById = actor.Id;
        document.ReturnedByName = actor.Name;
        document.ReturnedAt = clock.GetUtcNow();
        document.ReturnNote = text;
        await SaveStepAsync(document, cancellationToken);
    }

    /// <summary>下发: numbers the paper, sends it to the lead and co-units' inbox and, for a 督办通知单, records the 督办 in
    /// the matter's history — all or nothing.</summary>
    public async Task IssueAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (document, matter, state, tree) = await LoadAsync(id, actor, track: true, cancellationToken);
        EnsureOffice(actor, state, tree);
        switch (document.Status)
        {
            case NoticeDocumentStatus.Issued:
                throw new RuleConflictException($"该通知书已于{NoticePaper.ChinaDate(document.IssuedAt!.Value)}下发（{Number(document)}），不能再次下发。");
            case NoticeDocumentStatus.Returned:
                throw new RuleConflictException("该通知书已被领导退回，请按退回意见修改后重新提交审定。");
            case NoticeDocumentStatus.Drafted when options.RequireApproval:
                throw new RuleConflictException("该通知书尚未经领导审定，不能下发。");
        }

        EnsureOpen(matter, document.Kind);
        var now = clock.GetUtcNow();
        var year = ChinaTime.ToLocal(now).Year;
        // Its own transaction, unless the caller's holds more (the demo is made in one).
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        document.Year = year;
        document.Number = await NextNumberAsync(document.Kind, year, cancellationToken);
        document.Status = NoticeDocumentStatus.Issued;
        document.IssuedById = actor.Id;
        document.IssuedByName = actor.Name;
        document.IssuedAt = now;
        document.Version++;
        var number = Number(document)!;
        var title = $"【{NoticePaper.KindName(document.Kind)}】{number} {document.Title}";
        var office = await db.Units.AsNoTracking().Where(u => u.Id == document.OfficeUnitId).Select(u => u.Name).SingleAsync(cancellationToken);
        var body = $"{office}下发{NoticePaper.KindName(document.Kind)}（{number}），请查阅并按要求办理。";
        var link = FormattableString.Invariant($"/Notices/{document.Id}");
        var units = new List<long> { matter.LeadUnitId };
        units.AddRange(matter.CoUnits.OrderBy(c => c.Position).Select(c => c.UnitId).Where(u => u != matter.LeadUnitId));
        try
        {
            if (document.Kind == NoticeKind.Supervision)
            {
                // The 督办 itself, through the one seam the matter page's form uses: the record in the history and the
                // lead unit's notice; that notice then carries the paper's words and link instead of a second one.
                var message = $"下发督办通知单（{number}）：{document.Requirements}";
                if (message.Length > 2000)
                {
                    message = message[..2000];
                }

                await supervision.UrgeOrSuperviseAsync(matter.Id, EscalationKind.Supervise, null, message, actor, cancellationToken);
                var leadNotice = await db.Notices
                    .Where(n => n.MatterId == matter.Id && n.UnitId == matter.LeadUnitId && n.Kind == EscalationKind.Supervise && n.EscalationId != null)
                    .OrderByDescending(n => n.Id).FirstAsync(cancellationToken);
                leadNotice.Title = title;
                leadNotice.Body = body;
                leadNotice.Link = link;
                units.Remove(matter.LeadUnitId);
            }

            foreach (var unit in units)
            {
                db.Notices.Add(new Notice
                {
                    UnitId = unit,
                    Audience = Audience.Unit,
                    MatterId = matter.Id,
                    Kind = document.Kind == NoticeKind.Supervision ? EscalationKind.Supervise : null,
                    Title = title,
                    Body = body,
                    Link = link,
                    CreatedAt = now,
                    DeliverAfter = now, // a person chose to send it now
                });
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Busy();
        }
        catch (ConcurrencyConflictException)
        {
            throw Busy();
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The papers the actor may see, newest first: the office and leaders see every step, units their issued ones.</summary>
    /// <param name="kind">Only this kind, if given.</param>
    /// <param name="status">pending (待审定), drafting (拟办中: not yet issued), issued, returned, or null for all.</param>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<NoticeSummary>> ListAsync(NoticeKind? kind, string? status, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var matters = await VisibleMatters.QueryAsync(db, actor, cancellationToken);
        var query = Readable(db.NoticeDocuments.AsNoTracking().Where(d => matters.Any(m => m.Id == d.MatterId)), actor);

        if (kind is { } k)
        {
            query = query.Where(d => d.Kind == k);
        }

        query = status switch
        {
            "pending" => query.Where(d => d.Status == NoticeDocumentStatus.Drafted),
            "drafting" => query.Where(d => d.Status != NoticeDocumentStatus.Issued),
            "issued" => query.Where(d => d.Status == NoticeDocumentStatus.Issued),
            "returned" => query.Where(d => d.Status == NoticeDocumentStatus.Returned),
            _ => query,
        };
        return await SummariesAsync(query, actor, cancellationToken);
    }

    /// <summary>The matter's papers the actor may see (the matter page's 通知书 card).</summary>
    public async Task<IReadOnlyList<NoticeSummary>> ForMatterAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _ = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        var query = Readable(db.NoticeDocuments.AsNoTracking().Where(d => d.MatterId == matterId), actor);

        return await SummariesAsync(query, actor, cancellationToken);
    }

    /// <summary>Whether the actor may draft papers for this matter now (the matter page offers the links only then).</summary>
    public async Task<bool> MayDraftAsync(long matterId, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!MayDraftAny(actor))
        {
            return false;
        }

        var (matter, state, tree) = await VisibleMatters.LoadAsync(db, matterId, actor, cancellationToken);
        return AccessRules.IsAssigningSide(actor, state, tree) && matter.Status is not (MatterStatus.Closed or MatterStatus.Returned);
    }

    /// <summary>One paper as it prints, with its steps and the reader's next actions.</summary>
    /// <exception cref="NotFoundException">No such paper, or the reader may not see it (a draft, for a unit).</exception>
    public async Task<NoticePaperView> GetAsync(long id, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (d, matter, state, tree) = await LoadAsync(id, actor, track: false, cancellationToken);
        var office = await db.Units.AsNoTracking().Where(u => u.Id == d.OfficeUnitId).Select(u => u.Name).SingleAsync(cancellationToken);
        var lines = d.Body.Split('\n');
        var isOffice = IsOffice(actor, state, tree);
        var isLeader = IsLeaderOver(actor, d, tree);
        return new NoticePaperView(d.Id, d.MatterId, matter.Code, matter.Title, d.Kind, NoticePaper.KindName(d.Kind), d.Status, StatusName(d.Status),
            office, Number(d), d.Title, lines[0], lines.Skip(1).ToList(), d.ApprovedByName, Local(d.IssuedAt), d.CopyTo, d.Requirements, d.Contact,
            d.Phone, d.DraftedByName, ChinaTime.ToLocal(d.DraftedAt), Local(d.ApprovedAt), d.ApprovalNote, d.ReturnedByName, Local(d.ReturnedAt),
            d.ReturnNote, d.IssuedByName, options.RequireApproval,
            MayEdit: isOffice && d.Status is NoticeDocumentStatus.Drafted or NoticeDocumentStatus.Returned,
            MayApprove: isLeader && d.Status == NoticeDocumentStatus.Drafted,
            MayIssue: isOffice && (d.Status == NoticeDocumentStatus.Approved || (d.Status == NoticeDocumentStatus.Drafted && !options.RequireApproval))
                && matter.Status is not (MatterStatus.Closed or MatterStatus.Returned));
    }

    private async Task<IReadOnlyList<NoticeSummary>> SummariesAsync(IQueryable<NoticeDocument> query, Actor actor, CancellationToken cancellationToken)
    {
        var rows = await query.OrderByDescending(d => d.DraftedAt).ThenByDescending(d => d.Id).Take(MaxListed)
            .Select(d => new { Document = d, d.Matter!.Code, MatterTitle = d.Matter.Title, OfficePath = d.OfficeUnit!.Path })
            .ToListAsync(cancellationToken);
        var marker = FormattableString.Invariant($"/{actor.UnitId}/");
        return rows.Select(r => new NoticeSummary(r.Document.Id, r.Document.MatterId, r.Code, r.MatterTitle, r.Document.Kind,
            NoticePaper.KindName(r.Document.Kind), Number(r.Document), r.Document.Title, r.Document.Status, StatusName(r.Document.Status),
            r.Document.DraftedByName, ChinaTime.ToLocal(r.Document.DraftedAt), Local(r.Document.IssuedAt),
            actor.Has(Role.Leader) && r.Document.Status == NoticeDocumentStatus.Drafted && r.OfficePath.Contains(marker, StringComparison.Ordinal)))
            .ToList();
    }

    private async Task<(NoticeDocument Document, Matter Matter, MatterState State, UnitTree Tree)> LoadAsync(long id, Actor actor, bool track,
        CancellationToken cancellationToken)
    {
        var notFound = $"通知书 {id.ToString(CultureInfo.InvariantCulture)} 不存在。";
        IQueryable<NoticeDocument> documents = track ? db.NoticeDocuments : db.NoticeDocuments.AsNoTracking();
        var document = await documents.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException(notFound);
        var (matter, state, _) = await VisibleMatters.LoadAsync(db, document.MatterId, actor, cancellationToken, track: false, notFound: notFound);
        var tree = await UnitTree.LoadAsync(db, [actor.UnitId, document.OfficeUnitId, state.AssignerUnitId, state.LeadUnitId, .. state.CoUnitIds], cancellationToken);
        if (document.Status != NoticeDocumentStatus.Issued && !IsOffice(actor, state, tree) && !IsLeaderOver(actor, document, tree))
        {
            throw new NotFoundException(notFound); // a draft is the office's and its leaders' business
        }

        return (document, matter, state, tree);
    }

    /// <summary>Of papers on matters the actor sees: every step for the office, drafts of offices under a leader's unit
    /// for the leader, issued ones for everyone (the same rule as <see cref="LoadAsync"/>).</summary>
    private static IQueryable<NoticeDocument> Readable(IQueryable<NoticeDocument> query, Actor actor)
    {
        if (MayDraftAny(actor))
        {
            return query;
        }

        if (actor.Has(Role.Leader))
        {
            var marker = FormattableString.Invariant($"/{actor.UnitId}/");
            return query.Where(d => d.Status == NoticeDocumentStatus.Issued || d.OfficeUnit!.Path.Contains(marker));
        }

        return query.Where(d => d.Status == NoticeDocumentStatus.Issued);
    }

    private static bool IsOffice(Actor actor, MatterState state, UnitTree tree) =>
        MayDraftAny(actor) && AccessRules.IsAssigningSide(actor, state, tree);

    private static bool IsLeaderOver(Actor actor, NoticeDocument document, UnitTree tree) =>
        actor.Has(Role.Leader) && tree.IsWithin(document.OfficeUnitId, actor.UnitId);

    private static void EnsureOffice(Actor actor, MatterState state, UnitTree tree)
    {
        if (!IsOffice(actor, state, tree))
        {
            throw new ForbiddenException("只有交办该事项的督查室可以拟制、修改和下发通知书。");
        }
    }

    private static void EnsureLeader(Actor actor, NoticeDocument document, UnitTree tree)
    {
        if (!IsLeaderOver(actor, document, tree))
        {
            throw new ForbiddenException("只有分管督查室的领导可以审定或退回通知书。");
        }
    }

    private void EnsureDrafted(NoticeDocument document, string step)
    {
        if (document.Status != NoticeDocumentStatus.Drafted)
        {
            throw new RuleConflictException($"通知书{StatusName(document.Status)}，不能{step}。"
                + (document.Status == NoticeDocumentStatus.Returned ? "督查室修改后会重新提交。" : ""));
        }
    }

    private static void EnsureOpen(Matter matter, NoticeKind kind)
    {
        if (matter.Status is MatterStatus.Closed or MatterStatus.Returned)
        {
            throw new RuleConflictException($"事项当前状态为「{Labels.Of(matter.Status)}」，不能{(kind == NoticeKind.Supervision ? "督办" : "下发交办通知书")}。");
        }
    }

    private static NoticeKind ParseKind(string? text) =>
        TryParseKind(text, out var kind) ? kind : throw ValidationFailedException.For("kind", "请选择通知书种类：交办通知书（assignment）或督办通知单（supervision）。");

    private sealed record Words(string Title, string Requirements, string Contact, string? Phone, string? CopyTo);

    private static Words Validate(NoticeDraftInput input, NoticeKind kind, string matterTitle, Actor actor)
    {
        var errors = new Dictionary<string, string[]>();
        var title = UserText.Clean(input.Title) ?? NoticePaper.DefaultTitle(kind, matterTitle);
        if (title.Length > MaxTitle)
        {
            errors["title"] = [$"标题不能超过 {MaxTitle} 字。"];
        }

        var requirements = UserText.Clean(input.Requirements) ?? NoticePaper.DefaultRequirements(kind);
        if (requirements.Length > MaxRequirements)
        {
            errors["requirements"] = [$"办理要求不能超过 {MaxRequirements} 字。"];
        }

        var contact = UserText.Clean(input.Contact) ?? actor.Name;
        if (contact.Length > MaxName)
        {
            errors["contact"] = [$"联系人不能超过 {MaxName} 字。"];
        }

        var phone = UserText.Clean(input.Phone);
        if (phone is { Length: > MaxPhone } || (phone is not null && !phone.All(c => char.IsAsciiDigit(c) || c is '-' or ' ' or '+' or '(' or ')' or '（' or '）' or '转')))
        {
            errors["phone"] = ["联系电话只能填写号码，如 0571-87001234 或 13800001234。"];
        }

        var copyTo = UserText.Clean(input.CopyTo);
        if (copyTo is { Length: > MaxCopyTo })
        {
            errors["copyTo"] = [$"抄送不能超过 {MaxCopyTo} 字。"];
        }

        return errors.Count > 0 ? throw new ValidationFailedException(errors) : new Words(title, requirements, contact, phone, copyTo);
    }

    private async Task<string> BodyAsync(Matter matter, NoticeKind kind, long officeUnitId, Words words, CancellationToken cancellationToken)
    {
        var unitIds = matter.CoUnits.Select(c => c.UnitId).Append(matter.LeadUnitId).Append(officeUnitId).ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        var facts = new NoticeFacts
        {
            Kind = kind,
            Code = matter.Code,
            Title = matter.Title,
            Content = matter.Content,
            Goal = matter.Goal,
            Standard = matter.Standard,
            Office = names[officeUnitId],
            LeadUnit = names[matter.LeadUnitId],
            CoUnits = matter.CoUnits.OrderBy(c => c.Position).Select(c => names[c.UnitId]).ToList(),
            AssignedAt = matter.AssignedAt,
            Deadlines = matter.Milestones
                .Where(m => m.Stage is Stage.Acknowledge or Stage.Feedback or Stage.Complete or Stage.Node)
                .OrderBy(m => m.DueAt).ThenBy(m => m.Stage).ThenBy(m => m.Node)
                .Select(m => new NoticeDeadline(m.Stage == Stage.Node ? m.Name ?? Labels.Of(m.Stage) : Labels.Of(m.Stage), m.DueAt, m.MetAt is not null))
                .ToList(),
            Requirements = words.Requirements,
            Contact = words.Contact,
            Phone = words.Phone,
        };
        return string.Join('\n', NoticePaper.Body(facts).Prepend(NoticePaper.Salutation(facts)));
    }

    /// <summary>抄送 offered by default: the co-units (主送 is the lead unit).</summary>
    private async Task<string?> DefaultCopyToAsync(Matter matter, CancellationToken cancellationToken)
    {
        var ids = matter.CoUnits.OrderBy(c => c.Position).Select(c => c.UnitId).ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        var names = await db.Units.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, cancellationToken);
        return string.Join("、", ids.Select(i => names[i]));
    }

    private async Task<string?> PhoneOfAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Id.StartsWith("user:", StringComparison.Ordinal) || !long.TryParse(actor.Id.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }

        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.PhoneNumber).SingleOrDefaultAsync(cancellationToken);
    }

    private async Task SaveStepAsync(NoticeDocument document, CancellationToken cancellationToken)
    {
        document.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw Busy();
        }
    }

    private static RuleConflictException Busy() => new("通知书已被他人处理，请刷新后查看。");

    private static string? Number(NoticeDocument d) => d is { Year: { } year, Number: { } number } ? NoticePaper.Number(d.Kind, year, number) : null;

    private static DateTimeOffset? Local(DateTimeOffset? at) => at is { } value ? ChinaTime.ToLocal(value) : null;

    /// <summary>The next 文号 of a kind in a year: a counter row bumped atomically (as matter codes are), inside the
    /// issuing transaction, so a rolled-back issue gives its number back and two issues at once never share one.</summary>
    private async Task<int> NextNumberAsync(NoticeKind kind, int year, CancellationToken cancellationToken)
    {
        var next = await db.Database.SqlQueryRaw<int>(
            """
            INSERT INTO notice_document_counters ("Kind", "Year", "Last") VALUES ({0}, {1}, 1)
            ON CONFLICT ("Kind", "Year") DO UPDATE SET "Last" = notice_document_counters."Last" + 1
            RETURNING "Last" AS "Value"
            """, kind.ToString(), year).ToListAsync(cancellationToken);
        return next[0];
    }
}
