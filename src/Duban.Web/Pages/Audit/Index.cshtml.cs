using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Web.Pages.Lists;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Duban.Web.Pages.Audit;

/// <summary>审计记录: who changed what and when, filtered by person, unit, matter, action, kind of record and dates;
/// newest first, 50 at a time; exported to a workbook (the export is itself recorded).</summary>
public sealed class IndexModel(AuditQueries audit, PeopleCatalog pickable, UnitDirectory units, DubanDbContext db) : PageModel
{
    private const int PageSize = 50, ExportLimit = 100_000;

    [BindProperty(SupportsGet = true)] public string? Person { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public string? Matter { get; set; }
    [BindProperty(SupportsGet = true)] public string? Act { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }

    public AuditPage Records { get; private set; } = new([], null);
    /// <summary>The person picker's options: the chosen person, and what its box found when sent without script.</summary>
    public IReadOnlyList<PickableUser> PersonChoices { get; private set; } = [];

    /// <summary>The text typed in the person picker's box (sent only without script).</summary>
    public string? PersonSearch { get; private set; }

    /// <summary>Whom that text found, offered in the picker.</summary>
    private IReadOnlyList<PickableUser> _personFound = [];

    /// <summary>The chosen person's user id: the picker sends the id, links may say <c>user:ID</c>.</summary>
    public long? PersonId => long.TryParse(Person is { } p && p.StartsWith("user:", StringComparison.Ordinal) ? p[5..] : Person,
        NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public IReadOnlyList<UnitView> Units { get; private set; } = [];
    public IReadOnlyList<string> Kinds { get; private set; } = [];

    /// <summary>Matter codes of the records shown, for their links.</summary>
    public IReadOnlyDictionary<long, string> MatterCodes { get; private set; } = new Dictionary<long, string>();

    /// <summary>Why the filter selects nothing when one of its parts could not be read.</summary>
    public string? FilterProblem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Units = await units.ListAsync(cancellationToken);
        Kinds = await audit.EntitiesAsync(cancellationToken);
        var filter = await FilterAsync(cancellationToken);
        var people = await pickable.GetAsync(db, cancellationToken);
        PersonChoices = [.. (PersonId is { } chosen && people.ById.TryGetValue(chosen, out var u) ? [u] : Array.Empty<PickableUser>())
            .Concat(_personFound).DistinctBy(p => p.Id)];
        if (filter is not null)
        {
            Records = await audit.PageAsync(filter, Before, PageSize, cancellationToken);
            var ids = Records.Records.Select(r => r.MatterId).OfType<long>().Distinct().ToList();
            MatterCodes = await db.Matters.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Code, cancellationToken);
        }
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        if (await FilterAsync(cancellationToken) is not { } filter)
        {
            return BadRequest();
        }

        var rows = await audit.AllAsync(filter, ExportLimit, cancellationToken);
        await AuditTrail.RecordAsync(db, "export", "audit_records", "", null,
            [KeyValuePair.Create<string, object?>("条件", Request.QueryString.Value), KeyValuePair.Create<string, object?>("条数", rows.Count)],
            cancellationToken);
        return await Xlsx.FileAsync("审计记录.xlsx", "审计记录", rows.Select(r => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["序号"] = r.Seq,
            ["时间"] = Ui.When(ChinaTime.ToLocal(r.At)),
            ["操作人"] = r.ActorName,
            ["操作人标识"] = r.ActorId,
            ["来源地址"] = r.Address,
            ["操作"] = AuditQueries.ActionName(r.Action),
            ["对象"] = AuditQueries.EntityName(r.Entity),
            ["编号"] = r.EntityKey,
            ["内容"] = r.Changes,
            ["校验值"] = r.Hash,
        }), cancellationToken);
    }

    /// <summary>The query's filter, or null (with <see cref="FilterProblem"/>) when a part names nothing that exists.</summary>
    private async Task<AuditFilter?> FilterAsync(CancellationToken cancellationToken)
    {
        DateOnly? from = null, to = null;
        if (!string.IsNullOrWhiteSpace(From))
        {
            from = ChinaTime.TryParseDate(From, out var f) ? f : null;
            FilterProblem ??= from is null ? "起始日期应为 年-月-日，例如 2024-03-01。" : null;
        }

        if (!string.IsNullOrWhiteSpace(To))
        {
            to = ChinaTime.TryParseDate(To, out var t) ? t : null;
            FilterProblem ??= to is null ? "截止日期应为 年-月-日，例如 2024-03-31。" : null;
        }

        // The person picker's box is sent only without script: the text then names the person.
        PersonSearch = Request.Query[UnitPicker.SearchField("person")].ToString();
        if (!string.IsNullOrWhiteSpace(PersonSearch))
        {
            (var user, var error, _personFound) = (await pickable.GetAsync(db, cancellationToken)).Resolve(PersonSearch, PersonId);
            Person = user?.Id.ToString(CultureInfo.InvariantCulture);
            FilterProblem ??= error;
        }

        long? unitId = null;
        if (!string.IsNullOrWhiteSpace(Unit))
        {
            unitId = await db.Units.AsNoTracking().Where(u => u.Code == Unit).Select(u => (long?)u.Id).FirstOrDefaultAsync(cancellationToken);
            FilterProblem ??= unitId is null ? "没有这个单位。" : null;
        }

        long? matterId = null;
        if (!string.IsNullOrWhiteSpace(Matter))
        {
            var code = Matter.Trim();
            matterId = await db.Matters.AsNoTracking().Where(m => m.Code == code).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken);
            FilterProblem ??= matterId is null ? $"没有编号为「{code}」的事项。" : null;
        }

        var person = PersonId is { } id ? "user:" + id.ToString(CultureInfo.InvariantCulture) : Person;
        return FilterProblem is null ? new AuditFilter(person, unitId, matterId, Act, Kind, from, to) : null;
    }

    /// <summary>The query string of this filter, for the export link and the next page.</summary>
    public string Query(long? before = null)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(key + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("person", Person);
        Add("unit", Unit);
        Add("matter", Matter);
        Add("act", Act);
        Add("kind", Kind);
        Add("from", From);
        Add("to", To);
        Add("before", before?.ToString(CultureInfo.InvariantCulture));
        return string.Join("&", parts);
    }
}

/// <summary>A record's content as the page shows it: the fields a person recognises, by Chinese name, and how many
/// others there are (the export has them all).</summary>
public static class AuditContent
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["Title"] = "标题", ["Content"] = "内容", ["Note"] = "说明", ["Status"] = "状态", ["Name"] = "名称", ["Code"] = "编号",
        ["DisplayName"] = "姓名", ["UserName"] = "用户名", ["Action"] = "操作", ["ActorName"] = "操作人", ["Kind"] = "类别",
        ["Active"] = "启用", ["Priority"] = "优先级", ["Url"] = "地址", ["Role"] = "角色", ["DueAt"] = "期限", ["Stage"] = "阶段",
        ["Reason"] = "原因", ["Category"] = "类别", ["Goal"] = "目标", ["Standard"] = "标准", ["Year"] = "年份",
        ["LockoutEnd"] = "停用至", ["RevokedAt"] = "吊销时间", ["Satisfaction"] = "满意度", ["Score"] = "分数", ["Period"] = "期间",
        ["条件"] = "条件", ["条数"] = "条数",
    };

    public static (IReadOnlyList<(string Field, string Value)> Shown, int Others) Of(string changes)
    {
        var shown = new List<(string, string)>();
        var others = 0;
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(changes);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (!Fields.TryGetValue(property.Name, out var field))
                {
                    others++;
                    continue;
                }

                shown.Add((field, property.Value.ValueKind == System.Text.Json.JsonValueKind.Array
                    ? string.Join(" → ", property.Value.EnumerateArray().Select(Text).Where(t => t.Length > 0))
                    : Text(property.Value)));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return ([], 0);
        }

        return (shown, others);
    }

    private static string Text(System.Text.Json.JsonElement value)
    {
        var text = value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.Null => "",
            System.Text.Json.JsonValueKind.True => "是",
            System.Text.Json.JsonValueKind.False => "否",
            System.Text.Json.JsonValueKind.String => value.GetString() ?? "",
            _ => value.GetRawText(),
        };
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}
