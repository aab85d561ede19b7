using Duban.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>The audit page's filter; every part optional. Dates are Beijing dates, inclusive.</summary>
public sealed record AuditFilter(string? Person = null, long? UnitId = null, long? MatterId = null, string? Action = null,
    string? Entity = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>One page of records, newest first; <see cref="Before"/> continues below the last one (keyset, so a deep
/// page costs what the first does).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Before);

/// <summary>Reads the audit trail for the 审计记录 page and its export.</summary>
public sealed class AuditQueries(DubanDbContext db)
{
    /// <summary>Actions as the page names them.</summary>
    public static IReadOnlyDictionary<string, string> Actions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["insert"] = "新增",
        ["update"] = "修改",
        ["delete"] = "删除",
        [Duban.Audit.AuditBatch.Insert] = "批量新增",
        [Duban.Audit.AuditBatch.Update] = "批量修改",
        ["sign-in"] = "登录",
        ["sign-in-failed"] = "登录失败",
        ["sign-out"] = "退出登录",
        ["export"] = "导出",
    };

    /// <summary>What each audited table holds, as the page names it.</summary>
    public static IReadOnlyDictionary<string, string> Entities { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["account"] = "账号登录", ["matters"] = "事项", ["matter_events"] = "事项办理记录", ["milestones"] = "时限节点",
        ["matter_co_units"] = "配合单位", ["matter_people"] = "责任人员", ["matter_campaigns"] = "事项所属专项",
        ["escalations"] = "预警催办督办", ["accountability_entries"] = "问责清单", ["accountability_changes"] = "问责处理",
        ["extension_requests"] = "延期申请", ["lookbacks"] = "回头看", ["notices"] = "通知", ["notice_reads"] = "通知已读",
        ["notice_documents"] = "通知书", ["appeals"] = "群众诉求", ["personal_data_views"] = "查看个人信息",
        ["attachments"] = "附件", ["units"] = "单位", ["AspNetUsers"] = "用户", ["AspNetRoles"] = "角色",
        ["AspNetUserRoles"] = "用户角色", ["AspNetUserClaims"] = "用户声明", ["AspNetUserLogins"] = "外部登录",
        ["AspNetUserTokens"] = "用户令牌", ["AspNetRoleClaims"] = "角色声明", ["api_tokens"] = "API 令牌",
        ["routing_rules"] = "分派规则", ["webhooks"] = "Webhook", ["unit_channels"] = "群机器人与短信", ["calendar_years"] = "节假日",
        ["batches"] = "批处理", ["batch_members"] = "批处理事项", ["campaigns"] = "专项", ["enterprises"] = "企业",
        ["enterprise_pairings"] = "包联关系", ["visits"] = "走访", ["visit_problems"] = "走访问题",
        ["instructions"] = "领导批示", ["instruction_matters"] = "批示交办事项", ["instruction_reports"] = "批示办理报告",
        ["weekly_sessions"] = "周交办", ["weekly_session_matters"] = "周交办事项", ["item_colour_changes"] = "工作事项亮灯",
        ["assessment_schemes"] = "考评办法", ["assessment_scheme_versions"] = "考评办法版本", ["assessment_results"] = "考评结果",
        ["assessment_adjustments"] = "考评加减分", ["judging_sessions"] = "评审", ["judging_entries"] = "评审对象",
        ["judging_judges"] = "评审人员", ["judge_scores"] = "评审打分", ["competitions"] = "比拼", ["competition_entries"] = "比拼成绩",
        ["competition_objections"] = "比拼异议", ["citations"] = "通报", ["citation_units"] = "通报单位", ["card_rules"] = "红黄牌规则",
        ["cards"] = "红黄牌", ["interviews"] = "约谈", ["interview_matters"] = "约谈事项", ["target_sets"] = "目标任务",
        ["target_items"] = "目标任务指标", ["target_goals"] = "目标值", ["target_reports"] = "目标完成情况",
    };

    /// <summary>A table's Chinese name (其他 with nothing technical when unknown).</summary>
    public static string EntityName(string entity) => Entities.TryGetValue(entity, out var name) ? name : "其他数据";

    /// <summary>An action's Chinese name (the code itself when unknown).</summary>
    public static string ActionName(string action) => Actions.TryGetValue(action, out var name) ? name : action;

    public async Task<AuditPage> PageAsync(AuditFilter filter, long? before, int size, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filtered(filter);
        if (before is { } b)
        {
            query = query.Where(r => r.Seq < b);
        }

        var rows = await query.OrderByDescending(r => r.Seq).Take(size + 1).ToListAsync(cancellationToken);
        var more = rows.Count > size;
        if (more)
        {
            rows.RemoveAt(size);
        }

        return new AuditPage(rows, more ? rows[^1].Seq : null);
    }

    /// <summary>Every record the filter selects, oldest first, for the export (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<AuditRecord>> AllAsync(AuditFilter filter, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return await Filtered(filter).OrderBy(r => r.Seq).Take(limit).ToListAsync(cancellationToken);
    }

    /// <summary>The kinds of rows the trail names, for the page's picker.</summary>
    public async Task<IReadOnlyList<string>> EntitiesAsync(CancellationToken cancellationToken = default) =>
        await db.AuditRecords.AsNoTracking().Select(r => r.Entity).Distinct().OrderBy(e => e).ToListAsync(cancellationToken);

    private IQueryable<AuditRecord> Filtered(AuditFilter filter)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var person = filter.Person.Trim();
            query = query.Where(r => r.ActorName == person || r.ActorId == person);
        }

        if (filter.UnitId is { } unit)
        {
            query = query.Where(r => r.ActorUnitId == unit);
        }

        if (filter.MatterId is { } matter)
        {
            query = query.Where(r => r.MatterId == matter);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(r => r.Action == filter.Action);
        }

        if (!string.IsNullOrWhiteSpace(filter.Entity))
        {
            query = query.Where(r => r.Entity == filter.Entity);
        }

        if (filter.From is { } from)
        {
            var start = ChinaTime.StartOf(from);
            query = query.Where(r => r.At >= start);
        }

        if (filter.To is { } to)
        {
            var end = ChinaTime.EndOf(to);
            query = query.Where(r => r.At < end);
        }

        return query;
    }
}
