using System.Diagnostics;
using Duban.Cli;
using Duban.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Tests;

public sealed class CliTests
{
    internal static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-03-06T08:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        var exit = await CliApp.RunAsync(args, output, error, clock);
        return (exit, output.ToString(), error.ToString());
    }

    private static string NoDatabase => Path.Combine(Path.GetTempPath(), $"duban-none-{Guid.NewGuid():N}.db");

    [Theory]
    [InlineData("2024-02-08T10:00", "3", "2024-02-20T00:00:00+08:00")]
    [InlineData("2024-02-08T10:00+08:00", "3", "2024-02-20T00:00:00+08:00")]
    [InlineData("2024-02-08T02:00Z", "3", "2024-02-20T00:00:00+08:00")]
    [InlineData("2024-09-30T09:00", "1", "2024-10-09T00:00:00+08:00")]
    public async Task CalendarAdd_PrintsTheDueInstantInShanghaiTime(string start, string count, string expected)
    {
        var db = NoDatabase;
        var (exit, output, error) = await RunAsync("calendar", "add", start, count, "--db", db);

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.Trim());
        Assert.Equal("", error);
        Assert.False(File.Exists(db)); // a calendar question never creates a database
    }

    [Theory]
    [InlineData("2024-02-18", "工作日")]
    [InlineData("2024-02-12", "休息日")]
    [InlineData("2025-01-26", "工作日")]
    [InlineData("2024-02-17", "休息日")]
    public async Task CalendarIsWorkday_PrintsTrueOrFalse(string date, string expected)
    {
        var (exit, output, _) = await RunAsync("calendar", "is-workday", date, "--db", NoDatabase);

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public async Task Calendar_SaysSoWhenAYearHasNoNotice()
    {
        var (exit, output, error) = await RunAsync("calendar", "add", "2031-12-29T09:00", "5", "--db", NoDatabase);

        Assert.Equal(0, exit);
        Assert.Equal("2032-01-06T00:00:00+08:00", output.Trim()); // Mon–Fri only: Dec 30, 31, Jan 1, 2, 5
        Assert.Contains("暂按周一至周五", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("calendar", "add", "yesterday", "3")]
    [InlineData("calendar", "add", "2024-02-08", "0")]
    [InlineData("calendar", "add", "2024-02-08", "3", "--unit", "weeks")]
    [InlineData("calendar", "is-workday", "2024-02-30")]
    public async Task Calendar_BadInput_ExitsNonZeroWithAMessage(params string[] args)
    {
        var (exit, output, error) = await RunAsync([.. args, "--db", NoDatabase]);

        Assert.NotEqual(0, exit);
        Assert.Equal("", output);
        Assert.StartsWith("错误：", error, StringComparison.Ordinal);
        Assert.DoesNotContain("exception", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task CalendarYears_ListsEveryNoticeYear()
    {
        var (exit, output, _) = await RunAsync("calendar", "years", "--db", NoDatabase);

        Assert.Equal(0, exit);
        var years = output.Split('\n').Where(l => l.Length > 4 && char.IsAsciiDigit(l[0])).Select(l => int.Parse(l[..4], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(2007, 20), years);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("calendar", "--help")]
    [InlineData("token", "create", "--help")]
    public async Task Help_IsInChinese(params string[] args)
    {
        var (exit, output, _) = await RunAsync(args);

        Assert.Equal(0, exit);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", output);
        Assert.DoesNotMatch(@"[\p{IsCJKUnifiedIdeographs}）] ?/ [A-Za-z]", output); // no English translation after the Chinese
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Engines), MemberType = typeof(TestDatabase))]
    public async Task UnitsImport_TokenCreate_MattersList_AddYear_OnARealDatabase(string engine)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(engine); // the first command migrates it
        var db = engine == TestDatabase.Sqlite ? database.ConnectionString["Data Source=".Length..] : database.ConnectionString;
        var csv = Path.GetTempFileName();
        await File.WriteAllTextAsync(csv, "code,name,parent_code,level\nC,测试市,,city\nC-DC,督查室,C,department\nK-T,测试镇,C,township\nBAD,坏行,C,planet\n");

        var import = await RunAsync("units", "import", csv, "--db", db);
        Assert.Equal(1, import.Exit); // one line rejected
        Assert.Equal("已保存 3 行，拒绝 1 行", import.Out.Trim());
        Assert.Contains("第 5 行", import.Err, StringComparison.Ordinal);

        var token = await RunAsync("token", "create", "--unit", "C-DC", "--role", "supervisor", "--name", "热线接口", "--db", db);
        Assert.Equal(0, token.Exit);
        Assert.Matches(@"^dbn_[A-Za-z0-9]{40}$", token.Out.Trim());

        var badToken = await RunAsync("token", "create", "--unit", "NOPE", "--role", "king", "--name", "x", "--db", db);
        Assert.Equal(1, badToken.Exit);
        Assert.Contains("role", badToken.Err, StringComparison.Ordinal);

        var user = await RunAsync("users", "create", "--user", "zhang", "--display", "张三", "--unit", "K-T", "--role", "handler", "--password", "long-enough-1",
            "--email", "zhang@kt.example.test", "--db", db);
        Assert.Equal(0, user.Exit);
        var badEmail = await RunAsync("users", "create", "--user", "wang", "--display", "王五", "--unit", "K-T", "--role", "handler", "--password", "long-enough-1",
            "--email", "not-an-address", "--db", db);
        Assert.Equal(1, badEmail.Exit);
        Assert.StartsWith("email:", badEmail.Err, StringComparison.Ordinal);

        var hook = await RunAsync("webhooks", "add", "https://hooks.example.test/duban", "--secret", "cli-secret-0123456789", "--unit", "K-T", "--db", db);
        Assert.Equal(0, hook.Exit);
        Assert.Equal("已添加 Webhook 1：https://hooks.example.test/duban（单位 K-T）", hook.Out.Trim());
        var shortSecret = await RunAsync("webhooks", "add", "https://hooks.example.test/x", "--secret", "short", "--db", db);
        Assert.Equal(1, shortSecret.Exit);
        Assert.StartsWith("secret:", shortSecret.Err, StringComparison.Ordinal);
        var hooks = await RunAsync("webhooks", "list", "--db", db);
        Assert.Equal(["1", "https://hooks.example.test/duban", "K-T", "启用"], hooks.Out.Trim().Split('\t'));
        Assert.DoesNotContain("cli-secret", hooks.Out, StringComparison.Ordinal);
        var reset = await RunAsync("users", "set-password", "--user", "zhang", "--password", "another-one-2", "--db", db);
        var resetWeak = await RunAsync("users", "set-password", "--user", "zhang", "--password", "short", "--db", db);
        var resetNobody = await RunAsync("users", "set-password", "--user", "nobody", "--password", "another-one-2", "--db", db);
        Assert.Equal((0, 1, 1), (reset.Exit, resetWeak.Exit, resetNobody.Exit));
        Assert.Contains("密码至少 10 位", resetWeak.Err, StringComparison.Ordinal);
        Assert.Contains("nobody", resetNobody.Err, StringComparison.Ordinal);
        var weak = await RunAsync("users", "create", "--user", "li", "--display", "李四", "--unit", "K-T", "--role", "handler", "--password", "short", "--db", db);
        Assert.Equal(1, weak.Exit);
        Assert.Contains("密码至少 10 位", weak.Err, StringComparison.Ordinal);

        // The token works against the same database.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2024-03-04T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        await using (var services = await database.ServicesAsync(clock))
        {
            await using var scope = services.CreateAsyncScope();
            var actor = await scope.ServiceProvider.GetRequiredService<ApiTokens>().AuthenticateAsync(token.Out.Trim());
            Assert.NotNull(actor);
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Data.User>>();
            var zhang = await users.FindByNameAsync("zhang");
            Assert.True(await users.CheckPasswordAsync(zhang!, "another-one-2")); // the reset took
            Assert.False(await users.CheckPasswordAsync(zhang!, "long-enough-1"));
            await scope.ServiceProvider.GetRequiredService<Data.AssignMatter>().ExecuteAsync(new Data.NewMatter
            {
                Title = "路灯整改", Content = "小巷路灯不亮", Goal = "恢复照明", Standard = "无暗点", LeadUnit = "K-T",
            }, actor);
        }

        var list = await RunAsync("matters", "list", "--overdue", "--db", db); // the CLI's clock: Wed 2024-03-06 08:00
        Assert.Equal(0, list.Exit);
        var row = Assert.Single(list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Split('\t');
        Assert.Equal(["DB-2024-000001", "待签收", "K-T", "2024-03-06T00:00:00+08:00", "超期", "路灯整改"], row);
        var deliver = await RunAsync("deliver", "--db", db); // no notice yet: nothing due
        Assert.Equal((0, "已投递 0 条，待重试 0 条，投递失败 0 条"), (deliver.Exit, deliver.Out.Trim()));

        var notice = Path.GetTempFileName();
        await File.WriteAllTextAsync(notice, """{"year":2032,"papers":[],"days":[{"name":"元旦","date":"2032-01-01","isOffDay":true},{"name":"元旦","date":"2032-01-02","isOffDay":false}]}""");
        Assert.Equal(0, (await RunAsync("calendar", "add-year", notice, "--db", db)).Exit);
        Assert.Equal("工作日", (await RunAsync("calendar", "is-workday", "2032-01-02", "--db", db)).Out.Trim()); // a Friday made working, by the added notice
        Assert.Equal("休息日", (await RunAsync("calendar", "is-workday", "2032-01-01", "--db", db)).Out.Trim());
        await File.WriteAllTextAsync(notice, """{"year":2032,"days":[{"date":"2032-02-30","isOffDay":true}]}""");
        var bad = await RunAsync("calendar", "add-year", notice, "--db", db);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("yyyy-MM-dd", bad.Err, StringComparison.Ordinal);
        File.Delete(csv);
        File.Delete(notice);
    }

    [Fact]
    public async Task TheDubanExecutable_RunsFromTheBuildOutput()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "duban.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "calendar", "add", "2024-02-08T10:00", "3", "--db", NoDatabase })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("2024-02-20T00:00:00+08:00", output.Trim());
    }

    [Fact]
    public async Task AttachmentsGc_DeletesAnInterruptedUploadsTempFile_AndPrintsWhatItDid()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"duban-gc-{Guid.NewGuid():N}");
        var temp = Path.Combine(folder, "blobs", ".tmp-interrupted");
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        await File.WriteAllTextAsync(temp, "半截上传");
        File.SetLastWriteTimeUtc(temp, new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc)); // two days before the CLI's clock
        try
        {
            var db = Path.Combine(folder, "duban.db");
            var dry = await RunAsync("attachments", "gc", "--dry-run", "--db", db);
            Assert.Equal(0, dry.Exit);
            Assert.Contains("试运行", dry.Out, StringComparison.Ordinal);
            Assert.True(File.Exists(temp));

            var (exit, output, error) = await RunAsync("attachments", "gc", "--db", db);
            Assert.True(exit == 0, error);
            Assert.Contains("附件文件 0 个，无引用 0 个，已删除 0 个（0 字节），临时文件 1 个，丢失 0 个", output, StringComparison.Ordinal);
            Assert.False(File.Exists(temp));

            var refused = await RunAsync("attachments", "gc", "--min-age-hours", "0", "--db", db);
            Assert.NotEqual(0, refused.Exit);
            Assert.Contains("--min-age-hours 应在 1 到 8760 之间。", refused.Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
