using Duban.Documents;

namespace Duban.Tests;

/// <summary>The words of a 交办通知书 / 督办通知单 (<see cref="NoticePaper"/>), checked directly.</summary>
public sealed class NoticeTextTests
{
    private static NoticeFacts Facts(NoticeKind kind = NoticeKind.Assignment, string[]? co = null, string? requirements = null, string? phone = "0571-87001234") => new()
    {
        Kind = kind,
        Code = "JB-2026-0015",
        Title = "背街小巷路灯整改",
        Content = "群众反映背街小巷多处路灯夜间不亮。",
        Goal = "路灯全部恢复照明",
        Standard = "夜间复查无暗点",
        Office = "示范市委督查室",
        LeadUnit = "城关镇",
        CoUnits = co ?? ["市住建局", "供电所"],
        AssignedAt = Parse.Instant("2026-03-02T09:30:00+08:00"),
        Deadlines =
        [
            new NoticeDeadline("签收", Parse.Instant("2026-03-03T00:00:00+08:00"), Met: true),
            new NoticeDeadline("首次反馈", Parse.Instant("2026-03-05T17:30:00+08:00")),
            new NoticeDeadline("办结", Parse.Instant("2026-03-10T00:00:00+08:00")),
        ],
        Requirements = requirements,
        Contact = "李明",
        Phone = phone,
    };

    [Fact]
    public void Number_IsWrittenAsAnOfficialDocumentNumber()
    {
        Assert.Equal("督交〔2026〕15号", NoticePaper.Number(NoticeKind.Assignment, 2026, 15));
        Assert.Equal("督办〔2026〕3号", NoticePaper.Number(NoticeKind.Supervision, 2026, 3));
    }

    [Fact]
    public void Assignment_NamesLeadAndCoUnits_TheDeadlinesInChineseDates_TheRequirementsAndTheContact()
    {
        var body = NoticePaper.Body(Facts());

        Assert.Equal("城关镇：", NoticePaper.Salutation(Facts()));
        Assert.Equal("现将“背街小巷路灯整改”（事项编号 JB-2026-0015）交由你单位牵头办理，市住建局、供电所配合。有关事项通知如下：", body[0]);
        Assert.Equal("一、事项内容。群众反映背街小巷多处路灯夜间不亮。", body[1]);
        Assert.Equal("二、目标任务和工作标准。目标任务：路灯全部恢复照明；工作标准：夜间复查无暗点。", body[2]);
        Assert.Equal("三、承办单位。牵头单位：城关镇；配合单位：市住建局、供电所。", body[3]);
        // 24:00 of the last day rather than 00:00 of the next; a time of day as it is.
        Assert.Equal("四、办理时限。签收：2026年3月2日 24:00前；首次反馈：2026年3月5日 17:30前；办结：2026年3月9日 24:00前。", body[4]);
        Assert.Equal("五、办理要求。" + NoticePaper.DefaultRequirements(NoticeKind.Assignment), body[5]);
        Assert.Equal("联系人：李明，联系电话：0571-87001234", body[6]);
        Assert.Equal(7, body.Count);
    }

    [Fact]
    public void Supervision_StartsFromWhenItWasAssigned_AndListsOnlyTheDeadlinesStillOpen()
    {
        var body = NoticePaper.Body(Facts(NoticeKind.Supervision, requirements: "  请于3月6日前书面报告。 "));

        Assert.Equal("2026年3月2日交办你单位牵头办理的“背街小巷路灯整改”（事项编号 JB-2026-0015）至今未按要求办结。根据督查工作安排，现予督办。有关事项通知如下：", body[0]);
        Assert.Equal("四、办理时限。首次反馈：2026年3月5日 17:30前；办结：2026年3月9日 24:00前。", body[4]);
        Assert.Equal("五、办理要求。请于3月6日前书面报告。", body[5]);
    }

    [Fact]
    public void ALeadUnitAlone_IsNotToldOfCoUnits_AndNoPhoneLeavesThePhoneOut()
    {
        var body = NoticePaper.Body(Facts(co: [], phone: " "));

        Assert.Equal("现将“背街小巷路灯整改”（事项编号 JB-2026-0015）交由你单位办理。有关事项通知如下：", body[0]);
        Assert.Equal("三、承办单位。牵头单位：城关镇。", body[3]);
        Assert.Equal("联系人：李明", body[^1]);
        Assert.DoesNotContain(body.Where(p => !p.StartsWith("五、", StringComparison.Ordinal)), p => p.Contains("配合", StringComparison.Ordinal));
    }

    [Fact]
    public void Titles_FollowTheKind()
    {
        Assert.Equal("关于交办“背街小巷路灯整改”的通知", NoticePaper.DefaultTitle(NoticeKind.Assignment, "背街小巷路灯整改"));
        Assert.Equal("关于督办“背街小巷路灯整改”的通知", NoticePaper.DefaultTitle(NoticeKind.Supervision, "背街小巷路灯整改"));
        Assert.Equal("交办通知书", NoticePaper.KindName(NoticeKind.Assignment));
        Assert.Equal("督办通知单", NoticePaper.KindName(NoticeKind.Supervision));
    }
}
