using Duban.Data;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages;

/// <summary>交办: the 四明确 form. Validation is <see cref="AssignMatter"/>'s (the same as the API's); its messages
/// are shown beside the fields.</summary>
public sealed class AssignModel(AssignMatter assign, UnitDirectory units, Rules rules, WeeklySessions weekly, PeopleCatalog pickable, Campaigns campaigns,
    FormSubmissions submissions, SimilarMatters similar, DubanDbContext db) : FormPageModel
{
    [BindProperty]
    public AssignForm Form { get; set; } = new();

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public IReadOnlyList<Duban.TimeLimits.TimeLimitProfile> Profiles => rules.Profiles;

    /// <summary>The people offered before any typing (责任人员): those of the chosen lead and co-units.</summary>
    public IReadOnlyList<PickableUser> Offered { get; private set; } = [];

    /// <summary>专项行动 the matter may be tagged with (the office only; none: the picker is not shown).</summary>
    public IReadOnlyList<CampaignChoice> CampaignChoices { get; private set; } = [];

    /// <summary>纳入周交办: the draft sessions the matter may join as it is assigned (none: the picker is not shown).</summary>
    public IReadOnlyList<WeeklyDraft> WeeklyDrafts { get; private set; } = [];

    /// <summary>The chosen session, or null; preset by <c>?weekly=</c> from a session's page.</summary>
    [BindProperty(SupportsGet = true, Name = "weekly")]
    public long? WeeklySession { get; set; }

    /// <summary>Open matters this one probably repeats, found when the form was sent: the page asks before creating.</summary>
    public IReadOnlyList<SimilarMatterView> Duplicates { get; private set; } = [];

    /// <summary>仍然交办: the person saw the likely duplicates and goes on.</summary>
    [BindProperty(Name = "goOn")]
    public bool GoOn { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    /// <summary>交办. The same form sent twice makes one matter (<see cref="FormSubmissions"/>); a likely duplicate of an
    /// open matter is shown first, and made only when the person goes on.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var named = PersonRow.ToInput(Form.People, await pickable.GetAsync(db, cancellationToken));
        var done = await submissions.OnceAsync(actor, SubmissionKey.Of(Request), async () =>
        {
            if (!GoOn)
            {
                Duplicates = await similar.OpenDuplicatesAsync(Form.Title, Form.Content, actor, cancellationToken: cancellationToken);
                if (Duplicates.Count > 0)
                {
                    return null;
                }
            }

            var ids = await AssignAsync(actor, named);
            return FormattableString.Invariant($"/matters/{ids[0]}");
        }, cancellationToken);
        if (done is null)
        {
            await ReloadAsync(cancellationToken);
            return Page();
        }

        TempData["done"] = done.Repeated ? "这份表单已经提交过，没有重复交办。" : "已交办。";
        return Redirect(done.Outcome);
    }

    /// <summary>Runs to the end even if the request is dropped (a resend then finds the matter, not a second one).</summary>
    private async Task<IReadOnlyList<long>> AssignAsync(Actor actor, IReadOnlyList<PersonInput?> named) =>
        await weekly.AssignIntoAsync(WeeklySession, async () => [await assign.ExecuteAsync(new NewMatter
        {
            Title = Form.Title,
            Content = Form.Content,
            Kind = Form.Kind,
            Source = Form.Source,
            Goal = Form.Goal,
            Standard = Form.Standard,
            LeadUnit = Form.LeadUnit,
            CoUnits = Form.CoUnits.Where(c => c != Form.LeadUnit).ToList(),
            Profile = Form.Profile,
            Complex = Form.Complex,
            DueAt = Form.DueAt,
            People = named,
            Campaigns = Form.Campaigns,
        }, actor, CancellationToken.None)], actor, CancellationToken.None);

    protected override string FieldKey(string field) => PropertyKey(nameof(Form), field);

    /// <summary>Above the form (a person the policy let in but the command refuses).</summary>
    protected override bool ShowRefusal(DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        Units = await ActiveUnitsAsync(cancellationToken);
        WeeklyDrafts = await weekly.DraftsAsync(User.ToActor(), cancellationToken);
        Offered = (await pickable.GetAsync(db, cancellationToken)).Find(null, [.. Form.CoUnits.Prepend(Form.LeadUnit ?? "")]);
        CampaignChoices = Campaigns.MayManage(User.ToActor()) ? await campaigns.ChoicesAsync(cancellationToken) : [];
        if (Form.People.Count == 0)
        {
            Form.People = [new PersonRow { Role = "leadingOfficial" }, new PersonRow { Role = "responsible" }, new PersonRow { Role = "liaison" }];
        }
    }

    private async Task<IReadOnlyList<UnitView>> ActiveUnitsAsync(CancellationToken cancellationToken) =>
        (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList();

    /// <summary>The form's fields, named as the API's.</summary>
    public sealed class AssignForm
    {
        public string? Title { get; set; }
        public string? Content { get; set; }
        public string Kind { get; set; } = "assignment";
        public string Source { get; set; } = "meeting";
        public string? Goal { get; set; }
        public string? Standard { get; set; }
        public string? LeadUnit { get; set; }
        public List<string> CoUnits { get; set; } = [];
        public string Profile { get; set; } = Duban.TimeLimits.TimeLimitProfile.DefaultName;
        public bool Complex { get; set; }
        public string? DueAt { get; set; }
        public List<PersonRow> People { get; set; } = [];
        public List<long> Campaigns { get; set; } = [];
    }
}
