using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests;

/// <summary>The deadline engine's HTTP interface: sweep effects, extensions, 催办/督办, accountability, inbox.</summary>
public abstract class DeadlineApiTests(DubanApp app)
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private async Task<long> AssignAtAsync(string now, string lead = "K-T")
    {
        app.Clock.SetUtcNow(At(now));
        using var response = await app.Client(app.SupervisorToken).PostAsJsonAsync("/api/matters", TestMatters.Assignment(lead));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();
    }

    private async Task<SweepSummary> SweepAsync(string now)
    {
        app.Clock.SetUtcNow(At(now));
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SweepDeadlines>().RunAsync(At(now));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string token, string path, object body)
    {
        using var response = await app.Client(token).PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> GetAsync(string token, string path) =>
        JsonNode.Parse(await app.Client(token).GetStringAsync(path))!;

    [Fact]
    public async Task TheSweep_ShowsInOverdueLists_TheAccountabilityList_AndTheInbox()
    {
        var id = await AssignAtAsync("2024-04-01T09:00:00+08:00"); // Mon; acknowledge due Tue 24:00

        foreach (var instant in new[] { "2024-04-01T10:00:00+08:00", "2024-04-02T20:00:00+08:00", "2024-04-03T00:00:00+08:00", "2024-04-04T00:00:00+08:00" })
        {
            await SweepAsync(instant); // a sweeper running on time: warning, 催办, 督办 each announced
        }

        // Five working days after Tue 04-02: 03, (Qingming 04..06 off) Sun 07 make-up, 08, 09, 10 → 问责 at 04-11 00:00.
        Assert.Equal(0, (await SweepAsync("2024-04-10T23:59:00+08:00")).Accountability);
        Assert.Equal(1, (await SweepAsync("2024-04-11T00:00:00+08:00")).Accountability);
        var overdue = await GetAsync(app.SupervisorToken, "/api/matters?overdue=true&pageSize=200");
        Assert.Contains(overdue["items"]!.AsArray(), m => m!["id"]!.GetValue<long>() == id);
        var entries = (await GetAsync(app.SupervisorToken, "/api/accountability?status=pending")).AsArray();
        var entry = entries.Single(e => e!["matterId"]!.GetValue<long>() == id)!;
        Assert.Equal("acknowledgeOverdue", entry["reason"]!.GetValue<string>());
        Assert.Equal("K-T", entry["unit"]!["code"]!.GetValue<string>());

        app.Clock.SetUtcNow(At("2024-04-11T10:00:00+08:00")); // notices raised at midnight are delivered from 09:00
        var inbox = await GetAsync(app.TownshipToken, "/api/inbox");
        Assert.Contains(inbox["items"]!.AsArray(), n => n!["title"]!.GetValue<string>().StartsWith("【临期预警】", StringComparison.Ordinal));
        var supervisorInbox = await GetAsync(app.SupervisorToken, "/api/inbox");
        Assert.Contains(supervisorInbox["items"]!.AsArray(), n => n!["title"]!.GetValue<string>().StartsWith("【问责】", StringComparison.Ordinal));

        // Working the list: withdrawing needs a reason; every change is kept.
        var entryId = entry["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(app.SupervisorToken, $"/api/accountability/{entryId}/status", new { status = "withdrawn" })).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.TownshipToken, $"/api/accountability/{entryId}/status", new { status = "held" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(app.SupervisorToken, $"/api/accountability/{entryId}/status", new { status = "interviewed", note = "已约谈镇长" })).Status);
        var history = (await GetAsync(app.SupervisorToken, "/api/accountability")).AsArray().Single(e => e!["id"]!.GetValue<long>() == entryId)!["history"]!.AsArray();
        Assert.Equal(["pending", "interviewed"], history.Select(h => h!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AMatter_GoesBlueThenYellowThenRed_AsTheSweepPassesEachRung()
    {
        var id = await AssignAtAsync("2024-07-01T09:00:00+08:00"); // Mon; acknowledge due Tue 24:00
        async Task<string?> Escalation()
        {
            var matter = await GetAsync(app.SupervisorToken, $"/api/matters/{id}");
            return matter["escalation"]?.GetValue<string>();
        }

        Assert.Null(await Escalation());
        await SweepAsync("2024-07-02T20:00:00+08:00");
        Assert.Equal("warning", await Escalation()); // blue
        await SweepAsync("2024-07-03T00:00:00+08:00");
        Assert.Equal("urge", await Escalation()); // yellow
        await SweepAsync("2024-07-04T00:00:00+08:00");
        Assert.Equal("supervise", await Escalation()); // red
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge", new { });
        Assert.Equal("warning", await Escalation()); // acknowledge met; feedback (due Thu 24:00) is in its own warning window
    }

    [Fact]
    public async Task Extensions_RequestedByTheUnit_DecidedByTheAssigner()
    {
        var id = await AssignAtAsync("2024-05-06T09:00:00+08:00"); // Mon; completion due 05-15 00:00 (Tue 05-14 is the 7th working day)
        await PostAsync(app.TownshipToken, $"/api/matters/{id}/acknowledge", new { });

        var early = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-01", reason = "材料未到" });
        var noReason = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-24" });
        var bySupervisor = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-24", reason = "x" });
        var request = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-24", reason = "需等供电所停电检修窗口" });
        var twice = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-31", reason = "再延" });

        Assert.Equal(HttpStatusCode.BadRequest, early.Status);
        Assert.Equal(["dueAt"], early.Body!["errors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.Status);
        Assert.Equal(HttpStatusCode.Forbidden, bySupervisor.Status);
        Assert.Equal(HttpStatusCode.Created, request.Status);
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);

        var requestId = request.Body!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(app.TownshipToken, $"/api/extensions/{requestId}/decide", new { approve = true })).Status);
        var decided = await PostAsync(app.SupervisorToken, $"/api/extensions/{requestId}/decide", new { approve = true, dueAt = "2024-05-22", note = "同意延至 5 月 22 日" });
        Assert.Equal(HttpStatusCode.OK, decided.Status);
        Assert.Equal("approved", decided.Body!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(app.SupervisorToken, $"/api/extensions/{requestId}/decide", new { approve = false })).Status);

        var matter = await GetAsync(app.SupervisorToken, $"/api/matters/{id}");
        var complete = matter["milestones"]!.AsArray().Single(m => m!["stage"]!.GetValue<string>() == "complete")!;
        Assert.Equal("2024-05-23T00:00:00+08:00", complete["dueAt"]!.GetValue<string>());
        Assert.Equal("2024-05-15T00:00:00+08:00", complete["originalDueAt"]!.GetValue<string>());
        Assert.Equal("extend", matter["events"]!.AsArray().Last()!["action"]!.GetValue<string>());

        // Too late: within the last working day before the (new) deadline.
        app.Clock.SetUtcNow(At("2024-05-22T10:00:00+08:00"));
        var late = await PostAsync(app.TownshipToken, $"/api/matters/{id}/extensions", new { stage = "complete", dueAt = "2024-05-31", reason = "再延" });
        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains("至少 1 个工作日", late.Body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrgeAndSupervise_ByTheSupervisionOffice_ReachTheUnitsInbox()
    {
        var id = await AssignAtAsync("2024-06-03T09:00:00+08:00");

        var byUnit = await PostAsync(app.TownshipToken, $"/api/matters/{id}/urge", new { message = "自己催自己" });
        var empty = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/urge", new { message = "  " });
        var listedBySupervisor = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/supervise", new { level = "listed", message = "挂牌" });
        var badLevel = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/supervise", new { level = "extreme", message = "x" });
        var urged = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/urge", new { message = "请今天内签收并报送方案" });
        var supervised = await PostAsync(app.SupervisorToken, $"/api/matters/{id}/supervise", new { level = "key", message = "列为重点督办" });

        Assert.Equal(HttpStatusCode.Forbidden, byUnit.Status);
        Assert.Equal(HttpStatusCode.BadRequest, empty.Status);
        Assert.Equal(HttpStatusCode.Forbidden, listedBySupervisor.Status);
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.Status);
        Assert.Equal(HttpStatusCode.OK, urged.Status);
        Assert.Equal(HttpStatusCode.OK, supervised.Status);

        var inbox = await GetAsync(app.TownshipToken, "/api/inbox?unread=true");
        var titles = inbox["items"]!.AsArray().Select(n => n!["title"]!.GetValue<string>()).ToList();
        Assert.Contains(titles, t => t.StartsWith("【催办】", StringComparison.Ordinal));
        Assert.Contains(titles, t => t.StartsWith("【重点督办】", StringComparison.Ordinal));
        var unread = inbox["unread"]!.GetValue<int>();
        var first = inbox["items"]![0]!["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(app.TownshipToken, $"/api/inbox/{first}/read", new { })).Status);
        Assert.Equal(unread - 1, (await GetAsync(app.TownshipToken, "/api/inbox"))["unread"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(app.DepartmentToken, $"/api/inbox/{first}/read", new { })).Status);
    }

    [Fact]
    public async Task ReadState_IsPerPerson_SoAColleagueStillSeesTheNoticeUnread()
    {
        var id = await AssignAtAsync("2024-06-04T09:00:00+08:00");
        string colleague;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            colleague = await scope.ServiceProvider.GetRequiredService<Duban.Data.ApiTokens>().CreateAsync("K-T", "handler", "镇测试同事");
        }

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(app.SupervisorToken, $"/api/matters/{id}/urge", new { message = "请于今日签收" })).Status);
        var mine = await GetAsync(app.TownshipToken, "/api/inbox?unread=true");
        var theirs = await GetAsync(colleague, "/api/inbox?unread=true");
        var notice = mine["items"]!.AsArray().First(n => n!["body"]!.GetValue<string>().Contains("请于今日签收", StringComparison.Ordinal))!["id"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(app.TownshipToken, $"/api/inbox/{notice}/read", new { })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await PostAsync(app.TownshipToken, $"/api/inbox/{notice}/read", new { })).Status); // again: no change

        var mineAfter = await GetAsync(app.TownshipToken, "/api/inbox");
        var theirsAfter = await GetAsync(colleague, "/api/inbox");
        Assert.Equal(mine["unread"]!.GetValue<int>() - 1, mineAfter["unread"]!.GetValue<int>());
        Assert.Equal(theirs["unread"]!.GetValue<int>(), theirsAfter["unread"]!.GetValue<int>());
        bool ReadIn(JsonNode inbox) => inbox["items"]!.AsArray().Single(n => n!["id"]!.GetValue<long>() == notice)!["read"]!.GetValue<bool>();
        Assert.True(ReadIn(mineAfter));
        Assert.False(ReadIn(theirsAfter));
        Assert.DoesNotContain((await GetAsync(app.TownshipToken, "/api/inbox?unread=true"))["items"]!.AsArray(), n => n!["id"]!.GetValue<long>() == notice);
        Assert.Contains((await GetAsync(colleague, "/api/inbox?unread=true"))["items"]!.AsArray(), n => n!["id"]!.GetValue<long>() == notice);
    }

    [Fact]
    public async Task TheAccountabilityList_DownloadsAsASpreadsheet_OfTheRowsTheCallerMaySee()
    {
        var township = await AssignAtAsync("2024-07-01T09:00:00+08:00"); // Mon; acknowledge due Tue 24:00, 问责 five working days on
        var department = await AssignAtAsync("2024-07-01T09:00:00+08:00", "C-ZJ");
        await SweepAsync("2024-07-10T00:00:00+08:00");

        async Task<(HttpResponseMessage Response, List<IDictionary<string, object>> Rows, List<string> Headers)> ExportAsync(string token, string query = "")
        {
            var response = await app.Client(token).GetAsync("/api/accountability/export.xlsx" + query);
            using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (response, [], []);
            }

            // The first row as cells (A, B, …): the headers, which an empty export has too.
            var headers = ((IDictionary<string, object>)MiniExcelLibs.MiniExcel.Query(file).First()).Values.Select(v => (string)v).ToList();
            file.Position = 0;
            var rows = MiniExcelLibs.MiniExcel.Query(file, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
            return (response, rows, headers);
        }

        var (all, rows, headers) = await ExportAsync(app.SupervisorToken, "?status=pending");
        Assert.Equal(AccountabilityWorkbook.ContentType, all.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["编号", "事项编号", "事项", "责任单位", "责任人", "原因", "节点", "状态", "登记时间", "备注", "处理记录"], headers);
        var listed = (await GetAsync(app.SupervisorToken, "/api/accountability?status=pending")).AsArray();
        Assert.Equal(listed.Select(e => e!["id"]!.GetValue<long>()), rows.Select(r => Convert.ToInt64(r["编号"], CultureInfo.InvariantCulture)));
        var ours = rows.Where(r => listed.Any(e => e!["id"]!.GetValue<long>() == Convert.ToInt64(r["编号"], CultureInfo.InvariantCulture)
            && e["matterId"]!.GetValue<long>() is var m && (m == township || m == department))).ToList();
        Assert.Equal(2, ours.Count);
        Assert.All(ours, r => Assert.Equal(("签收超期", "签收", "待处理", "2024-07-10 00:00"),
            ((string)r["原因"], (string)r["节点"], (string)r["状态"], (string)r["登记时间"])));
        Assert.Equal(["测试市住建局", "测试镇"], ours.Select(r => (string)r["责任单位"]).Order(StringComparer.Ordinal));

        // A handling unit sees only its own matters' entries, as in the list.
        long EntryOf(long matter) => listed.Single(e => e!["matterId"]!.GetValue<long>() == matter)!["id"]!.GetValue<long>();
        var (_, townshipRows, _) = await ExportAsync(app.TownshipToken);
        var townshipIds = townshipRows.Select(r => Convert.ToInt64(r["编号"], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal((await GetAsync(app.TownshipToken, "/api/accountability")).AsArray().Select(e => e!["id"]!.GetValue<long>()), townshipIds);
        Assert.Contains(EntryOf(township), townshipIds);
        Assert.DoesNotContain(EntryOf(department), townshipIds);

        var (bad, _, _) = await ExportAsync(app.SupervisorToken, "?status=someday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var (_, none, noneHeaders) = await ExportAsync(app.SupervisorToken, "?status=held");
        Assert.Empty(none);
        Assert.Contains("编号", noneHeaders);
    }
}

public sealed class DeadlineApiTests_Sqlite(SqliteApp app) : DeadlineApiTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineApiTests_Postgres(PostgresApp app) : DeadlineApiTests(app), IClassFixture<PostgresApp>;
