using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Items;
using Duban.Matters;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Items;

/// <summary>新建工作事项 (the office): the item, its units and people, its plan of nodes, its reporting cycle and
/// optionally the parent it is split from. Checked by <see cref="WorkItems.CreateAsync"/> (the API's checks); the
/// messages are shown beside the fields. A form submitted twice (a double click, a resend) creates one item.</summary>
[Authorize(Policy = PagePolicies.AssigningSide)]
public sealed partial class NewModel(WorkItems items, ItemQueries queries, UnitDirectory units, PeopleCatalog pickable, Data.Campaigns campaigns,
    FormSubmissions submissions, DubanDbContext db) : FormPageModel
{
    /// <summary>Blank node rows drawn (the page's script adds more).</summary>
    public const int NodeRows = 6;

    [BindProperty]
    public ItemForm Form { get; set; } = new();

    /// <summary>Preset from <c>?register=</c> (the ledger's 新建 link).</summary>
    [BindProperty(SupportsGet = true, Name = "register")]
    public string? PresetRegister { get; set; }

    /// <summary>Preset from <c>?parent=</c> (分解 on an item's page).</summary>
    [BindProperty(SupportsGet = true, Name = "parent")]
    public long? PresetParent { get; set; }

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    /// <summary>The people offered before any typing (责任人员): those of the chosen lead and co-units.</summary>
    public IReadOnlyList<PickableUser> Offered { get; private set; } = [];

    public IReadOnlyList<CampaignChoice> CampaignChoices { get; private set; } = [];

    /// <summary>Items a new one may be split from (those not themselves split from another).</summary>
    public IReadOnlyList<ItemSummary> Parents { get; private set; } = [];

    /// <summary>The form row each submitted node came from (blank rows are not sent), for placing its errors.</summary>
    private readonly List<int> _planRows = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (ItemRegisters.TryParse(PresetRegister, out var r))
        {
            Form.Register = ItemRegisters.Key(r);
        }

        Form.Parent = PresetParent;
        await ReloadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        var plan = new List<NodeInput>();
        for (var i = 0; i < Form.Nodes.Count; i++)
        {
            var n = Form.Nodes[i];
            if (!string.IsNullOrWhiteSpace(n.Name) || !string.IsNullOrWhiteSpace(n.DueAt))
            {
                plan.Add(new NodeInput(n.Name, n.DueAt));
                _planRows.Add(i);
            }
        }

        var input = new NewItem
        {
            Title = Form.Title,
            Content = Form.Content,
            Register = Form.Register,
            LeadUnit = Form.LeadUnit,
            CoUnits = Form.CoUnits.Where(c => c != Form.LeadUnit).ToList(),
            Plan = plan,
            Cycle = Form.Cycle switch
            {
                "weekly" => new CycleInput("weekly", null, Form.Weekday),
                "monthly" => new CycleInput("monthly", Form.Day, null),
                _ => null,
            },
            Parent = Form.Parent,
            People = PersonRow.ToInput(Form.People, await pickable.GetAsync(db, cancellationToken)),
            Campaigns = Form.Campaigns,
        };
        // The same form sent twice (a double click, a resend) creates one item: the second is shown the first's.
        var done = await submissions.OnceAsync(actor, SubmissionKey.Of(Request), async () =>
            FormattableString.Invariant($"/Items/{await items.CreateAsync(input, actor, CancellationToken.None)}"), cancellationToken);
        return Redirect(done!.Outcome);
    }

    /// <summary>Errors under <c>item.</c> and the API's key; a node's under the form row it was typed in.</summary>
    protected override string FieldKey(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var match = PlanKey().Match(field);
        if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k < _planRows.Count)
        {
            return string.Create(CultureInfo.InvariantCulture, $"item.plan[{_planRows[k]}]{match.Groups[2].Value}");
        }

        return "item." + field;
    }

    /// <summary>Above the form.</summary>
    protected override bool ShowRefusal(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = User.ToActor();
        Units = (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
        Offered = (await pickable.GetAsync(db, cancellationToken)).Find(null, [.. Form.CoUnits.Prepend(Form.LeadUnit ?? "")]);
        CampaignChoices = Data.Campaigns.MayManage(actor) ? await campaigns.ChoicesAsync(cancellationToken) : [];
        Parents = (await queries.RowsAsync(new ItemFilter(), actor, cancellationToken)).Where(r => r.Item.ParentId is null).Select(r => r.Item).ToList();
        if (Form.People.Count == 0)
        {
            Form.People = [new PersonRow { Role = "leadingOfficial" }, new PersonRow { Role = "responsible" }, new PersonRow { Role = "liaison" }];
        }

        while (Form.Nodes.Count < NodeRows)
        {
            Form.Nodes.Add(new NodeRow());
        }
    }

    [GeneratedRegex(@"^plan\[(\d+)\](.*)$")]
    private static partial Regex PlanKey();

    /// <summary>The form's fields, named as the API's.</summary>
    public sealed class ItemForm
    {
        public string? Title { get; set; }
        public string? Content { get; set; }
        public string Register { get; set; } = "key-work";
        public string? LeadUnit { get; set; }
        public List<string> CoUnits { get; set; } = [];
        public List<NodeRow> Nodes { get; set; } = [];

        /// <summary>Empty (no reporting), weekly or monthly.</summary>
        public string? Cycle { get; set; } = "monthly";
        public int? Weekday { get; set; } = 5;
        public int? Day { get; set; } = 25;
        public long? Parent { get; set; }
        public List<PersonRow> People { get; set; } = [];
        public List<long> Campaigns { get; set; } = [];
    }

    /// <summary>One row of the plan.</summary>
    public sealed class NodeRow
    {
        public string? Name { get; set; }
        public string? DueAt { get; set; }
    }
}
