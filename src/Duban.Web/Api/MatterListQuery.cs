using System.Globalization;
using Duban.Data;
using Duban.Matters;
using Duban.Web.Pages;

namespace Duban.Web.Api;

/// <summary>
/// The matter list's filter as a query string, read the same way by <c>GET /api/matters</c>, the work list (工作台)
/// and its Excel export: <c>q</c> (keyword in title, content or code), <c>unit</c> (lead unit code), <c>status</c>,
/// <c>kind</c>, <c>source</c>, <c>from</c>/<c>to</c> (assigned between, dates), <c>person</c>, <c>campaign</c>,
/// <c>overdue</c>, <c>dueBefore</c>, <c>tab</c>, <c>sort</c> (<c>due</c>, <c>assigned</c>, <c>code</c>, <c>new</c>)
/// and <c>dir</c> (<c>asc</c>, <c>desc</c>), or both as <c>order</c> (<c>assigned-desc</c>). Each bad value is reported by its parameter, in Chinese.
/// </summary>
public static class MatterListQuery
{
    /// <summary>The sort keys in links, and what they order by.</summary>
    public static IReadOnlyDictionary<string, MatterSort> Sorts { get; } = new Dictionary<string, MatterSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["due"] = MatterSort.Due,
        ["assigned"] = MatterSort.Assigned,
        ["code"] = MatterSort.Code,
        ["new"] = MatterSort.Newest,
    };

    /// <summary>The filter a query string asks for (page and page size aside) and the problems with it.</summary>
    public static (MatterFilter Filter, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>();
        string? Text(string name) => query[name].ToString() is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        void Fail(string name, string message) => errors[name] = [message];

        var filter = new MatterFilter { Unit = Text("unit"), Person = Text("person") };
        if (Text("q") is { } q)
        {
            if (q.Length > MatterFilter.MaxKeyword)
            {
                Fail("q", $"关键词不能超过 {MatterFilter.MaxKeyword} 字。");
            }
            else
            {
                filter = filter with { Keyword = q };
            }
        }

        if (Text("campaign") is { } campaign)
        {
            if (long.TryParse(campaign, NumberStyles.None, CultureInfo.InvariantCulture, out var c))
            {
                filter = filter with { Campaign = c };
            }
            else
            {
                Fail("campaign", "必须是专项行动编号。");
            }
        }

        if (Text("status") is { } status)
        {
            if (WireEnum.TryParse<MatterStatus>(status, out var s)) { filter = filter with { Status = s }; } else { Fail("status", "未知状态。"); }
        }

        if (Text("kind") is { } kind)
        {
            if (WireEnum.TryParse<MatterKind>(kind, out var k)) { filter = filter with { Kind = k }; } else { Fail("kind", "未知类型。"); }
        }

        if (Text("source") is { } source)
        {
            if (WireEnum.TryParse<MatterSource>(source, out var s)) { filter = filter with { Source = s }; } else { Fail("source", "未知来源。"); }
        }

        DateOnly? Day(string name)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            if (Calendar.ChinaTime.TryParseDate(text, out var day))
            {
                return day;
            }

            Fail(name, "日期格式为 2024-03-01。");
            return null;
        }

        filter = filter with { AssignedFrom = Day("from"), AssignedTo = Day("to") };
        if (filter.AssignedFrom > filter.AssignedTo)
        {
            Fail("to", "结束日期不能早于开始日期。");
        }

        if (Text("overdue") is { } overdue)
        {
            if (bool.TryParse(overdue, out var o)) { filter = filter with { Overdue = o }; } else { Fail("overdue", "必须是 true 或 false。"); }
        }

        if (Text("dueBefore") is { } dueBefore)
        {
            if (Calendar.ChinaTime.TryParseInstant(dueBefore, out var d))
            {
                filter = filter with { DueBefore = d };
            }
            else
            {
                Fail("dueBefore", "必须是时间，如 2024-03-01T00:00+08:00。");
            }
        }

        if (Text("tab") is { } tab)
        {
            var found = Ui.Tabs.FirstOrDefault(t => string.Equals(t.Key, tab, StringComparison.OrdinalIgnoreCase));
            if (found.Key is not null) { filter = filter with { Tab = found.Tab }; } else { Fail("tab", "未知分类。"); }
        }

        // The page's one 排序 choice sends both as order=assigned-desc.
        var order = Text("order");
        string? orderSort = order, orderDir = order is null ? null : "asc";
        if (order is not null && order.EndsWith("-desc", StringComparison.Ordinal))
        {
            (orderSort, orderDir) = (order[..^5], "desc");
        }
        if ((Text("sort") ?? orderSort) is { } sort)
        {
            if (Sorts.TryGetValue(sort, out var by)) { filter = filter with { Sort = by }; } else { Fail("sort", "排序只能是 due、assigned、code 或 new。"); }
        }

        if ((Text("dir") ?? orderDir) is { } dir)
        {
            if (dir is "asc" or "desc") { filter = filter with { Descending = dir == "desc" }; } else { Fail("dir", "方向只能是 asc 或 desc。"); }
        }

        return (filter, errors);
    }
}
