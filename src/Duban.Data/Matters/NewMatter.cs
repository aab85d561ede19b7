using Duban.Calendar;
using Duban.Matters;
using Duban.Text;

namespace Duban.Data;

/// <summary>What a person submits to assign a matter (交办), as the API spells it.</summary>
public sealed record NewMatter
{
    public string? Title { get; init; }
    public string? Content { get; init; }
    public string? Kind { get; init; }
    public string? Source { get; init; }

    /// <summary>目标任务.</summary>
    public string? Goal { get; init; }

    /// <summary>工作标准.</summary>
    public string? Standard { get; init; }

    /// <summary>The lead unit's code (牵头单位).</summary>
    public string? LeadUnit { get; init; }

    /// <summary>Co-handling units' codes (配合单位).</summary>
    public IReadOnlyList<string>? CoUnits { get; init; }

    public string? Profile { get; init; }
    public bool Complex { get; init; }

    /// <summary>An explicit completion deadline: a date (24:00 of it) or an instant.</summary>
    public string? DueAt { get; init; }

    public string? Note { get; init; }

    /// <summary>Named people (责任领导、责任人、联络员、包案领导): a user id or a contact's name, unit and phone.</summary>
    public IReadOnlyList<PersonInput?>? People { get; init; }

    /// <summary>Campaigns (专项行动) to tag the matter with, by id; the office only.</summary>
    public IReadOnlyList<long>? Campaigns { get; init; }
}

/// <summary>A matter to assign, typed: ids and enums, its text already cleaned (<see cref="NewMatterRules.Cleaned"/>). Made
/// once at the edge (<see cref="AssignMatter"/> from a <see cref="NewMatter"/>, <see cref="AppealIntake"/> from an appeal).</summary>
internal sealed record MatterToAssign(MatterKind Kind, MatterSource Source, string Title, string Content, long LeadUnitId)
{
    public string? Goal { get; init; }
    public string? Standard { get; init; }
    public IReadOnlyList<long> CoUnitIds { get; init; } = [];
    public string Profile { get; init; } = TimeLimits.TimeLimitProfile.DefaultName;
    public bool Complex { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public string? Note { get; init; }

    /// <summary>A work item's register, plan and cycle (<see cref="MatterKind.Item"/> only).</summary>
    public Items.ItemRegister? Register { get; init; }
    public IReadOnlyList<Items.PlannedNode>? Plan { get; init; }
    public Items.ReportCycle? Cycle { get; init; }
}

/// <summary>Field checks for a new matter that need no database; unit codes are checked by <see cref="AssignMatter"/>.</summary>
internal static class NewMatterRules
{
    public const int MaxTitle = 200, MaxContent = 20000, MaxClause = 4000, MaxCoUnits = 50;

    /// <summary>The same input with every text field cleaned (<see cref="UserText.Clean"/>).</summary>
    public static NewMatter Cleaned(NewMatter input) => input with
    {
        Title = UserText.Clean(input.Title),
        Content = UserText.Clean(input.Content),
        Goal = UserText.Clean(input.Goal),
        Standard = UserText.Clean(input.Standard),
        Note = UserText.Clean(input.Note),
    };

    /// <summary>Title and content: required and bounded, for every kind of matter (an appeal's too).</summary>
    public static void CheckText(string? title, string? content, Dictionary<string, string[]> errors)
    {
        Require(errors, "title", title, "标题", MaxTitle);
        Require(errors, "content", content, "内容", MaxContent);
    }

    public static (MatterKind Kind, MatterSource Source, DateTimeOffset? DueAt) Check(NewMatter input, Dictionary<string, string[]> errors)
    {
        CheckText(input.Title, input.Content, errors);

        var kind = MatterKind.Assignment;
        var kindKnown = string.IsNullOrWhiteSpace(input.Kind) || WireEnum.TryParse(input.Kind, out kind);
        if (!kindKnown)
        {
            errors["kind"] = ["类型必须是 assignment（交办事项）、appeal（诉求）或 petition（信访）。"];
        }

        var source = kind switch
        {
            MatterKind.Assignment => MatterSource.Instruction,
            MatterKind.Appeal => MatterSource.Web,
            MatterKind.Petition => MatterSource.Offline,
            MatterKind.Item => MatterSource.Meeting,
        };
        if (!string.IsNullOrWhiteSpace(input.Source) && !WireEnum.TryParse(input.Source, out source))
        {
            errors["source"] = ["来源必须是 meeting、instruction、web、hotline、offline、import 或 visit。"];
        }

        if (kind == MatterKind.Assignment && kindKnown)
        {
            // 四明确: goal, responsible unit, standard and time limit are all required for an assignment.
            Require(errors, "goal", input.Goal, "目标任务", MaxClause);
            Require(errors, "standard", input.Standard, "工作标准", MaxClause);
        }
        else
        {
            Limit(errors, "goal", input.Goal, "目标任务", MaxClause);
            Limit(errors, "standard", input.Standard, "工作标准", MaxClause);
        }

        if (string.IsNullOrWhiteSpace(input.LeadUnit))
        {
            errors["leadUnit"] = ["必须指定牵头单位。"];
        }

        if (input.CoUnits is { Count: > MaxCoUnits })
        {
            errors["coUnits"] = [$"配合单位不能超过 {MaxCoUnits} 个。"];
        }

        DateTimeOffset? due = null;
        if (!string.IsNullOrWhiteSpace(input.DueAt))
        {
            if (ChinaTime.TryParseDeadline(input.DueAt, out var deadline))
            {
                due = deadline;
            }
            else
            {
                errors["dueAt"] = ["办结期限必须是日期（2024-03-01）或时间（2024-03-01T18:00+08:00）。"];
            }
        }

        return (kind, source, due);
    }

    private static void Require(Dictionary<string, string[]> errors, string field, string? value, string label, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{label}不能为空。"];
        }
        else
        {
            Limit(errors, field, value, label, max);
        }
    }

    private static void Limit(Dictionary<string, string[]> errors, string field, string? value, string label, int max)
    {
        if (value is { Length: var length } && length > max)
        {
            errors[field] = [$"{label}不能超过 {max} 字。"];
        }
    }
}
