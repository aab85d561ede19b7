using Duban.Data;
using Duban.Web.Auth;
using Duban.Web.Pages.Lists;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assessment.Cards;

/// <summary>约谈名单: entries from red cards or added by hand, filtered by status and unit, recorded (which closes them),
/// exported as xlsx.</summary>
public sealed class InterviewsModel(InterviewList interviews, UnitDirectory units, TimeProvider clock) : CardsPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; } = "open";

    [BindProperty(SupportsGet = true)]
    public long? Unit { get; set; }

    public IReadOnlyList<InterviewView> Entries { get; private set; } = [];
    public IReadOnlyList<UnitView> Units { get; private set; } = [];
    public IReadOnlyDictionary<long, IReadOnlyList<InterviewMatterView>> MattersByUnit { get; private set; } = new Dictionary<long, IReadOnlyList<InterviewMatterView>>();
    public string Today { get; private set; } = "";

    [BindProperty]
    public AddForm Add { get; set; } = new();

    [BindProperty]
    public RecordForm Record { get; set; } = new();

    /// <summary>The entry whose record form failed, to open it again.</summary>
    public long? RecordFailed { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken cancellationToken)
    {
        var list = await interviews.ListAsync(Status, Unit, User.ToActor(), cancellationToken);
        return await Xlsx.FileAsync("约谈名单.xlsx", "约谈名单", InterviewList.Rows(list), cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        await interviews.AddAsync(new NewInterview(Add.UnitId, Add.Reason), User.ToActor(), cancellationToken);
        TempData["done"] = "已列入约谈名单。";
        return Redirect("/Assessment/Interviews");
    }

    public async Task<IActionResult> OnPostRecordAsync(long entry, CancellationToken cancellationToken)
    {
        RecordFailed = entry;
        await interviews.RecordAsync(entry, new InterviewRecord(Record.PersonName, Record.PersonPost, Record.HeldOn, Record.MatterIds, Record.Notes),
            User.ToActor(), cancellationToken);
        TempData["done"] = "已登记约谈情况，该条目已关闭。";
        return Redirect("/Assessment/Interviews?status=closed");
    }

    protected override string FieldKey(string field) => field switch
    {
        "unitId" => PropertyKey(nameof(Add), "unitId"),
        "reason" => PropertyKey(nameof(Add), "reason"),
        "status" => nameof(Status),
        _ => PropertyKey(nameof(Record), field),
    };

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var actor = Reader();
        Today = Duban.Calendar.ChinaTime.DateOf(clock.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (Status is not (null or "" or "open" or "closed" or "all"))
        {
            Status = "open";
        }

        Entries = await interviews.ListAsync(Status, Unit, actor, cancellationToken);
        var all = (await units.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
        var readable = CanManage ? null : Entries.Select(e => e.Unit.Id).Append(actor.UnitId).ToHashSet();
        Units = all.Where(u => readable is null || readable.Contains(u.Id)).ToList();
        if (CanManage)
        {
            var matters = new Dictionary<long, IReadOnlyList<InterviewMatterView>>();
            foreach (var unitId in Entries.Where(e => !e.Closed).Select(e => e.Unit.Id).Distinct().Take(50))
            {
                matters[unitId] = await interviews.MattersOfAsync(unitId, cancellationToken);
            }

            MattersByUnit = matters;
        }
    }

    public sealed class AddForm
    {
        public long? UnitId { get; set; }
        public string? Reason { get; set; }
    }

    public sealed class RecordForm
    {
        public string? PersonName { get; set; }
        public string? PersonPost { get; set; }
        public string? HeldOn { get; set; }
        public List<long> MatterIds { get; set; } = [];
        public string? Notes { get; set; }
    }
}
