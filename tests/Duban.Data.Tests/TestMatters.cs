using Duban.Data;

namespace Duban.Tests;

/// <summary>Test-data builder: a complete assignment (all of the 四明确), to vary with <c>with { … }</c>.</summary>
public static class TestMatters
{
    public static NewMatter Assignment(string lead = "K-T", params string[] coUnits) => new()
    {
        Title = "背街小巷路灯整改",
        Content = "群众反映背街小巷多处路灯夜间不亮，老人和学生夜归不便，请牵头单位会同供电所逐条排查修复。",
        Kind = "assignment",
        Source = "meeting",
        Goal = "辖区背街小巷路灯全部恢复照明",
        Standard = "夜间复查无暗点，群众认可",
        LeadUnit = lead,
        CoUnits = coUnits,
    };
}
