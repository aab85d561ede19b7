using System.Globalization;
using Duban.Escalation;

namespace Duban.Documents;

/// <summary>Which paper: a 交办通知书 for a matter the office assigned, or a 督办通知单 for a matter it presses.</summary>
public enum NoticeKind
{
    /// <summary>交办通知书, numbered 督交〔2026〕N号.</summary>
    Assignment,

    /// <summary>督办通知单, numbered 督办〔2026〕N号.</summary>
    Supervision,
}

/// <summary>One deadline of the matter as the paper states it.</summary>
/// <param name="Name">What is due (签收, 首次反馈, 办结, a node's own name).</param>
/// <param name="Due">The due instant.</param>
/// <param name="Met">Whether it is already met (the 督办通知单 leaves met ones out).</param>
public sealed record NoticeDeadline(string Name, DateTimeOffset Due, bool Met = false);

/// <summary>What the paper is written from: the matter's facts, the office's words and who to call.</summary>
public sealed record NoticeFacts
{
    /// <summary>Which paper.</summary>
    public required NoticeKind Kind { get; init; }

    /// <summary>The matter's code (事项编号).</summary>
    public required string Code { get; init; }

    /// <summary>The matter's title.</summary>
    public required string Title { get; init; }

    /// <summary>事项内容.</summary>
    public required string Content { get; init; }

    /// <summary>目标任务, if set.</summary>
    public string? Goal { get; init; }

    /// <summary>工作标准, if set.</summary>
    public string? Standard { get; init; }

    /// <summary>交办单位: the office that assigns or presses (its name heads the paper).</summary>
    public required string Office { get; init; }

    /// <summary>The lead unit (牵头单位), to whom the paper is addressed.</summary>
    public required string LeadUnit { get; init; }

    /// <summary>配合单位, in order.</summary>
    public IReadOnlyList<string> CoUnits { get; init; } = [];

    /// <summary>When the matter was assigned (for the 督办通知单's opening).</summary>
    public DateTimeOffset AssignedAt { get; init; }

    /// <summary>The matter's deadlines, in order.</summary>
    public IReadOnlyList<NoticeDeadline> Deadlines { get; init; } = [];

    /// <summary>办理要求, as the office wrote them; blank takes <see cref="NoticePaper.DefaultRequirements"/>.</summary>
    public string? Requirements { get; init; }

    /// <summary>联系人.</summary>
    public required string Contact { get; init; }

    /// <summary>联系电话, if given.</summary>
    public string? Phone { get; init; }
}

/// <summary>The words of a 交办通知书 / 督办通知单: title, salutation and numbered paragraphs, in the plain style of a
/// government notice. Pure: the same facts give the same text, which is stored as drafted.</summary>
public static class NoticePaper
{
    /// <summary>交办通知书 or 督办通知单.</summary>
    public static string KindName(NoticeKind kind) => kind switch
    {
        NoticeKind.Assignment => "交办通知书",
        NoticeKind.Supervision => "督办通知单",
    };

    /// <summary>The 机关代字 of the 文号: 督交 or 督办.</summary>
    public static string Prefix(NoticeKind kind) => kind switch
    {
        NoticeKind.Assignment => "督交",
        NoticeKind.Supervision => "督办",
    };

    /// <summary>The 文号: 督交〔2026〕15号.</summary>
    public static string Number(NoticeKind kind, int year, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix(kind)}〔{year}〕{number}号");

    /// <summary>The title offered for a new paper: 关于交办“…”的通知 / 关于督办“…”的通知.</summary>
    public static string DefaultTitle(NoticeKind kind, string matterTitle) => kind switch
    {
        NoticeKind.Assignment => $"关于交办“{matterTitle}”的通知",
        NoticeKind.Supervision => $"关于督办“{matterTitle}”的通知",
    };

    /// <summary>The 办理要求 offered for a new paper, which the office may rewrite.</summary>
    public static string DefaultRequirements(NoticeKind kind) => kind switch
    {
        NoticeKind.Assignment =>
            "请牵头单位接到本通知后及时签收，明确责任领导和具体责任人，会同配合单位制定工作措施，按上述时限反馈办理进展；办结后报送办结情况及佐证材料。",
        NoticeKind.Supervision =>
            "请你单位主要负责同志亲自过问，查明未按期办理的原因，采取有力措施加快办理，并于收到本通知后3个工作日内书面报告办理进展。逾期仍未办结的，将按有关规定予以通报。",
    };

    /// <summary>The salutation (主送): the lead unit, then a colon.</summary>
    public static string Salutation(NoticeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.LeadUnit + "：";
    }

    /// <summary>The body's paragraphs, in order: the opening, 一、事项内容 … 五、办理要求, then 联系人.</summary>
    public static IReadOnlyList<string> Body(NoticeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var co = facts.CoUnits.Count > 0 ? string.Join("、", facts.CoUnits) : null;
        var assigned = ChinaDate(facts.AssignedAt);
        var paragraphs = new List<string>
        {
            facts.Kind switch
            {
                NoticeKind.Assignment => co is null
                    ? $"现将“{facts.Title}”（事项编号 {facts.Code}）交由你单位办理。有关事项通知如下："
                    : $"现将“{facts.Title}”（事项编号 {facts.Code}）交由你单位牵头办理，{co}配合。有关事项通知如下：",
                NoticeKind.Supervision =>
                    $"{assigned}交办你单位{(co is null ? "" : "牵头")}办理的“{facts.Title}”（事项编号 {facts.Code}）至今未按要求办结。根据督查工作安排，现予督办。有关事项通知如下：",
            },
            "一、事项内容。" + facts.Content,
        };
        var goals = new List<string>();
        if (!string.IsNullOrWhiteSpace(facts.Goal))
        {
            goals.Add("目标任务：" + facts.Goal);
        }

        if (!string.IsNullOrWhiteSpace(facts.Standard))
        {
            goals.Add("工作标准：" + facts.Standard);
        }

        paragraphs.Add("二、目标任务和工作标准。" + (goals.Count > 0 ? string.Join("；", goals) + "。" : "按事项内容办理到位。"));
        paragraphs.Add("三、承办单位。牵头单位：" + facts.LeadUnit + (co is null ? "。" : "；配合单位：" + co + "。"));
        var deadlines = facts.Kind == NoticeKind.Supervision ? facts.Deadlines.Where(d => !d.Met).ToList() : facts.Deadlines.ToList();
        paragraphs.Add("四、办理时限。" + (deadlines.Count == 0
            ? "按交办时确定的时限办理。"
            : string.Join("；", deadlines.Select(d => $"{d.Name}：{NoticeText.Deadline(d.Due)}前")) + "。"));
        var requirements = string.IsNullOrWhiteSpace(facts.Requirements) ? DefaultRequirements(facts.Kind) : facts.Requirements.Trim();
        paragraphs.Add("五、办理要求。" + requirements);
        paragraphs.Add(ContactLine(facts.Contact, facts.Phone));
        return paragraphs;
    }

    /// <summary>联系人：张三，联系电话：0571-…… (the phone left out when not given).</summary>
    public static string ContactLine(string contact, string? phone) =>
        string.IsNullOrWhiteSpace(phone) ? $"联系人：{contact}" : $"联系人：{contact}，联系电话：{phone.Trim()}";

    /// <summary>A date as a paper writes it: 2026年3月5日 (Beijing).</summary>
    public static string ChinaDate(DateTimeOffset at) =>
        Calendar.ChinaTime.ToLocal(at).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);
}
