using Duban.Data;
using Duban.Escalation;
using Duban.Matters;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The inbox page's queries on both engines (unread first, paged, marked read one and all, per reader), and
/// 催办/督办 in the matter's history without becoming lifecycle events.</summary>
public sealed class NoticeInboxPageTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task Urges_ShowInTheHistory_AndTheInboxPagesUnreadFirst_AndMarksReadPerReader(string engine)
    {
        await using var s = await Storage.CreateAsync(engine);
        var id = await s.RunAsync(sp => sp.GetRequiredService<AssignMatter>().ExecuteAsync(TestMatters.Assignment("K-T"), s.Org.Supervisor));
        var reader = s.Org.TownshipHandler;
        var colleague = reader with { Id = "test:镇承办2", Name = "镇承办2" };
        var before = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().UnreadCountAsync(reader));

        await s.RunAsync(sp => sp.GetRequiredService<Supervision>().UrgeOrSuperviseAsync(id, EscalationKind.Urge, null, "请加快进度。", s.Org.Supervisor));
        await s.RunAsync(sp => sp.GetRequiredService<Supervision>().UrgeOrSuperviseAsync(id, EscalationKind.Supervise, SupervisionLevel.Key, "列为重点督办。", s.Org.Supervisor));

        // The history names each with its level, text and who; they are not lifecycle events.
        var details = await s.RunAsync(sp => sp.GetRequiredService<MatterQueries>().GetAsync(id, reader));
        Assert.Equal(["催办", "重点督办"], details.Urges!.Select(u => u.Name));
        Assert.Equal(["请加快进度。", "列为重点督办。"], details.Urges!.Select(u => u.Message));
        Assert.All(details.Urges!, u => Assert.Equal("督查员", u.ActorName));
        Assert.Equal([MatterAction.Assign], details.Events.Select(e => e.Action));

        Assert.Equal(before + 2, await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().UnreadCountAsync(reader)));
        var first = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().PageAsync(reader, false, 1, 1));
        Assert.Equal(before + 2, first.Total);
        Assert.StartsWith("【重点督办】", first.Items.Single().Title); // newest first among the unread

        await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().MarkReadAsync(first.Items.Single().Id, reader));
        var all = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().PageAsync(reader, false, 1, 50));
        Assert.Equal(before + 1, all.Unread);
        Assert.True(all.Items[^1].Read); // read ones after the unread
        Assert.Equal(first.Items.Single().Id, all.Items[^1].Id);
        var unread = await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().PageAsync(reader, true, 1, 50));
        Assert.Equal(before + 1, unread.Total);
        Assert.DoesNotContain(unread.Items, n => n.Read);

        Assert.Equal(before + 1, await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().MarkAllReadAsync(reader)));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().UnreadCountAsync(reader)));
        Assert.Equal(0, await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().MarkAllReadAsync(reader)));
        Assert.Equal(before + 2, await s.RunAsync(sp => sp.GetRequiredService<NoticeInbox>().UnreadCountAsync(colleague)));
    }
}
