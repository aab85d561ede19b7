using System.CommandLine;
using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Data.Access;
using Duban.Data.Import;
using Duban.Data.Matters;
using Duban.Data.Units;
using Duban.Matters;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duban.Cli;

/// <summary>
/// The <c>duban</c> command line. It works on the database directly, with full rights, like a DBA's console:
/// whoever can run it can already read the database file.
/// </summary>
public static partial class CliApp
{
    private static readonly Option<string?> DbOption = new("--db")
    {
        Description = "数据库：SQLite 文件路径或 PostgreSQL 连接字符串（Host=…）/ database: a SQLite file or a PostgreSQL connection string",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        var root = new RootCommand("督办 Duban 命令行工具 / command line")
        {
            CalendarCommand(output, error),
            UnitsCommand(output, error, clock),
            TokenCommand(output, error, clock),
            UsersCommand(output, error, clock),
            MattersCommand(output, error, clock),
            DbCommand(output, error, clock),
            SweepCommand(output, clock),
            WebhooksCommand(output, clock),
            DeliverCommand(output, clock),
            TextCommand(output),
            AccountabilityCommand(output, clock),
            SimilarCommand(output, error, clock),
            RouteCommand(output, error, clock),
            ImportCommand(output, error, clock),
            PairingCommand(output, error, clock),
            AttachmentsCommand(output, error, clock),
        };
        root.Options.Add(DbOption);
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (ValidationFailedException ex)
        {
            foreach (var (field, messages) in ex.Errors)
            {
                await error.WriteLineAsync($"{field}: {string.Join(" ", messages)}");
            }

            return 1;
        }
        catch (Exception ex) when (ex is DomainException or FormatException or InvalidOperationException or IOException)
        {
            await error.WriteLineAsync($"错误 / error: {ex.Message}");
            return 1;
        }
    }

    // ---- calendar -------------------------------------------------------------------------------------------

    private static Command CalendarCommand(TextWriter output, TextWriter error)
    {
        var start = new Argument<string>("start") { Description = "开始时间（北京时间）/ start, e.g. 2024-02-08T10:00" };
        var count = new Argument<int>("count") { Description = "期限数量 / how many units" };
        var unit = new Option<string>("--unit") { Description = "wd=工作日, d=自然日, h=小时 / working days, days, hours", DefaultValueFactory = _ => "wd" };
        var add = new Command("add", "计算期限届满时间（开始当日不计入）/ when a time limit ends (start day not counted)") { start, count, unit };
        add.SetAction(async (result, ct) =>
        {
            var calendar = await LoadCalendarAsync(result, ct);
            if (!ChinaTime.TryParseInstant(result.GetValue(start)!, out var from))
            {
                throw new FormatException($"无法识别的时间 / not a time: {result.GetValue(start)}");
            }

            if (!TimeLimit.TryParse($"{result.GetValue(count)}{result.GetValue(unit)}", out var limit))
            {
                throw new FormatException($"期限必须是 1–{TimeLimit.MaxAmount} 的整数，单位 wd|d|h / count 1–{TimeLimit.MaxAmount}, unit wd|d|h");
            }

            var due = limit.DueFrom(from, calendar);
            await output.WriteLineAsync(Iso(due.DueAt));
            await WarnIfProvisionalAsync(error, due.IsProvisional);
            return 0;
        });

        var date = new Argument<string>("date") { Description = "日期 / date, yyyy-MM-dd" };
        var isWorkday = new Command("is-workday", "是否工作日 / is the date a working day") { date };
        isWorkday.SetAction(async (result, ct) =>
        {
            var calendar = await LoadCalendarAsync(result, ct);
            if (!DateOnly.TryParseExact(result.GetValue(date), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                throw new FormatException($"日期格式为 yyyy-MM-dd / date must be yyyy-MM-dd: {result.GetValue(date)}");
            }

            var info = calendar.Describe(d);
            await output.WriteLineAsync(info.IsWorkingDay ? "true" : "false");
            await WarnIfProvisionalAsync(error, !info.IsCertain);
            return 0;
        });

        var years = new Command("years", "已载入的节假日通知年份 / notice years loaded");
        years.SetAction(async (result, ct) =>
        {
            var calendar = await LoadCalendarAsync(result, ct);
            foreach (var notice in calendar.Notices)
            {
                await output.WriteLineAsync(FormattableString.Invariant(
                    $"{notice.Year}\t放假 {notice.Days.Count(d => d.IsOffDay)} 天\t调休上班 {notice.Days.Count(d => !d.IsOffDay)} 天"));
            }

            await output.WriteLineAsync("其他年份按周一至周五计算并标注暂定 / other years: Monday–Friday, flagged provisional");
            return 0;
        });

        var file = new Argument<FileInfo>("file") { Description = "国务院节假日通知 JSON（holiday-cn 格式）/ a notice in holiday-cn JSON" };
        var addYear = new Command("add-year", "加入一年的节假日通知（存入数据库，所有实例共用）/ add a year's notice to the database") { file };
        addYear.SetAction(async (result, ct) =>
        {
            var json = await File.ReadAllTextAsync(result.GetValue(file)!.FullName, ct);
            HolidayNotice.Parse(json); // a bad file is reported before the database is opened
            await using var scope = await OpenAsync(result, null, ct);
            var notice = await scope.ServiceProvider.GetRequiredService<Rules>().SaveCalendarYearAsync(
                scope.ServiceProvider.GetRequiredService<DubanDbContext>(), json, DateTimeOffset.UtcNow, ct);
            await output.WriteLineAsync(FormattableString.Invariant(
                $"{notice.Year}: 放假 {notice.Days.Count(d => d.IsOffDay)} 天，调休上班 {notice.Days.Count(d => !d.IsOffDay)} 天，已保存。运行中的实例重启后生效 / saved; running instances pick it up on restart"));
            return 0;
        });

        return new Command("calendar", "工作日历 / the working-day calendar") { add, isWorkday, years, addYear };
    }

    private static async Task WarnIfProvisionalAsync(TextWriter error, bool provisional)
    {
        if (provisional)
        {
            await error.WriteLineAsync("注意：涉及尚无国务院节假日通知的年份，暂按周一至周五计算 / note: a year without a holiday notice was counted Monday–Friday");
        }
    }

    /// <summary>The shipped calendar, plus years added to the database when there is one (a calendar question
    /// never creates a database).</summary>
    private static async Task<WorkingCalendar> LoadCalendarAsync(ParseResult result, CancellationToken ct)
    {
        var options = DatabaseOptions.From(Configuration(result));
        if (options.SqliteFile is { } file && !File.Exists(file))
        {
            return WorkingCalendar.China;
        }

        await using var scope = await OpenAsync(result, null, ct);
        var rules = scope.ServiceProvider.GetRequiredService<Rules>();
        return rules.Calendar;
    }

    // ---- units, tokens, users ------------------------------------------------------------------------------

    private static Command UnitsCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var file = new Argument<FileInfo>("file") { Description = "xlsx 或 CSV：code,name,parent_code,level" };
        var import = new Command("import", "从 Excel 或 CSV 导入单位（重复导入不会重复）/ import units from xlsx or CSV (idempotent)") { file };
        import.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var path = result.GetValue(file)!.FullName;
            await using var stream = File.OpenRead(path);
            var report = await scope.ServiceProvider.GetRequiredService<UnitDirectory>().ImportAsync(Spreadsheet.Open(stream, path), ct);
            foreach (var line in report.Lines.Where(l => !l.Saved))
            {
                await error.WriteLineAsync(FormattableString.Invariant($"第 {line.Line} 行 / line {line.Line} ({line.Code}): {line.Error}"));
            }

            await output.WriteLineAsync(FormattableString.Invariant($"saved={report.Saved} rejected={report.Rejected}"));
            return report.Rejected == 0 ? 0 : 1;
        });

        var list = new Command("list", "单位列表 / list units");
        list.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            foreach (var unit in await scope.ServiceProvider.GetRequiredService<UnitDirectory>().ListAsync(ct))
            {
                await output.WriteLineAsync($"{new string(' ', 2 * unit.Depth)}{unit.Code}\t{unit.Name}\t{WireEnum.Name(unit.Level)}{(unit.Active ? "" : "\t(停用)")}");
            }

            return 0;
        });
        return new Command("units", "单位 / units") { import, list };
    }

    private static Command TokenCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var unit = new Option<string>("--unit") { Description = "单位代码 / unit code", Required = true };
        var role = new Option<string>("--role") { Description = "admin|leader|supervisor|handler|cadre", Required = true };
        var name = new Option<string>("--name") { Description = "用途名称 / what the token is for", Required = true };
        var create = new Command("create", "创建 API 令牌，只打印令牌本身 / create an API token; prints the token alone") { unit, role, name };
        create.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var secret = await scope.ServiceProvider.GetRequiredService<ApiTokens>()
                .CreateAsync(result.GetValue(unit)!, result.GetValue(role)!, result.GetValue(name)!, ct);
            await output.WriteLineAsync(secret);
            return 0;
        });
        return new Command("token", "API 令牌 / API tokens") { create };
    }

    private static Command UsersCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var userName = new Option<string>("--user") { Description = "登录名 / sign-in name", Required = true };
        var display = new Option<string>("--display") { Description = "姓名 / display name", Required = true };
        var unit = new Option<string>("--unit") { Description = "单位代码 / unit code", Required = true };
        var role = new Option<string[]>("--role") { Description = "角色，可多个 / roles", Required = true, AllowMultipleArgumentsPerToken = true };
        var password = new Option<string>("--password") { Description = "密码（至少 10 位）/ password, 10+ characters", Required = true };
        var email = new Option<string?>("--email") { Description = "邮件地址，用于接收通知 / email address for notifications" };
        var create = new Command("create", "创建登录账号 / create a person's account") { userName, display, unit, role, password, email };
        create.SetAction(async (result, ct) =>
        {
            var roles = new List<Role>();
            foreach (var text in result.GetValue(role)!)
            {
                roles.Add(WireEnum.TryParse<Role>(text, out var r) ? r : throw ValidationFailedException.For("role", $"未知角色「{text}」。"));
            }

            await using var scope = await OpenAsync(result, clock, ct);
            var user = await scope.ServiceProvider.GetRequiredService<UserAccounts>().CreateAsync(result.GetValue(userName)!,
                result.GetValue(display)!, result.GetValue(unit)!, roles, result.GetValue(password)!, result.GetValue(email), ct);
            await output.WriteLineAsync(FormattableString.Invariant($"created user {user.UserName} (id {user.Id})"));
            return 0;
        });
        var resetUser = new Option<string>("--user") { Description = "登录名 / sign-in name", Required = true };
        var newPassword = new Option<string>("--password") { Description = "新密码（至少 10 位）/ new password, 10+ characters", Required = true };
        var setPassword = new Command("set-password", "重设密码并解除锁定 / reset a password and lift a lockout") { resetUser, newPassword };
        setPassword.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            await scope.ServiceProvider.GetRequiredService<UserAccounts>().ResetPasswordAsync(result.GetValue(resetUser)!, result.GetValue(newPassword)!);
            await output.WriteLineAsync($"password set for {result.GetValue(resetUser)}");
            return 0;
        });
        return new Command("users", "登录账号 / accounts") { create, setPassword };
    }

    // ---- matters ---------------------------------------------------------------------------------------------

    private static Command MattersCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var overdue = new Option<bool>("--overdue") { Description = "只列超期 / only overdue" };
        var unit = new Option<string?>("--unit") { Description = "牵头单位代码 / lead unit code" };
        var status = new Option<string?>("--status") { Description = "assigned|returned|acknowledged|reported|verified|rated|closed" };
        var max = new Option<int>("--max") { Description = "最多列出 / at most", DefaultValueFactory = _ => 200 };
        var list = new Command("list", "事项列表（制表符分隔）/ list matters, tab-separated") { overdue, unit, status, max };
        list.SetAction(async (result, ct) =>
        {
            MatterStatus? parsedStatus = null;
            if (result.GetValue(status) is { } s)
            {
                parsedStatus = WireEnum.TryParse<MatterStatus>(s, out var st) ? st : throw ValidationFailedException.For("status", $"未知状态「{s}」。");
            }

            await using var scope = await OpenAsync(result, clock, ct);
            var queries = scope.ServiceProvider.GetRequiredService<MatterQueries>();
            var filter = new MatterFilter
            {
                Overdue = result.GetValue(overdue),
                Unit = result.GetValue(unit),
                Status = parsedStatus,
                PageSize = Math.Clamp(result.GetValue(max), 1, MatterFilter.MaxPageSize),
            };
            var page = await queries.ListAsync(filter, Operator, ct);
            foreach (var m in page.Items)
            {
                await output.WriteLineAsync(string.Join('\t', m.Code, WireEnum.Name(m.Status), m.LeadUnit.Code,
                    m.NextDueAt is { } due ? Iso(due) : "-", m.Overdue ? "overdue" : "-", m.Title));
            }

            await error.WriteLineAsync(FormattableString.Invariant($"共 {page.Total} 件 / {page.Total} in all"));
            return 0;
        });
        return new Command("matters", "事项 / matters") { list };
    }

    private static Command SweepCommand(TextWriter output, TimeProvider? clock)
    {
        var now = new Option<string?>("--now") { Description = "按此时刻扫描（默认现在），如 2024-03-01T09:00+08:00 / sweep as of this instant" };
        var sweep = new Command("sweep", "时限扫描：临期预警、催办、督办、问责（重复执行不会重复记录）/ the deadline sweep; idempotent") { now };
        sweep.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var at = (clock ?? TimeProvider.System).GetUtcNow();
            if (result.GetValue(now) is { } text && !ChinaTime.TryParseInstant(text, out at))
            {
                throw new FormatException($"无法识别的时间 / not a time: {text}");
            }

            var summary = await scope.ServiceProvider.GetRequiredService<Data.Escalation.SweepDeadlines>().RunAsync(at, ct);
            await output.WriteLineAsync(summary.ToString());
            return 0;
        });
        return sweep;
    }

    // ---- notifications ---------------------------------------------------------------------------------------

    private static Command WebhooksCommand(TextWriter output, TimeProvider? clock)
    {
        var url = new Argument<string>("url") { Description = "接收地址 / where to POST, http(s)" };
        var secret = new Option<string>("--secret") { Description = "签名密钥（16–200 字符）/ HMAC secret, 16–200 characters", Required = true };
        var unit = new Option<string?>("--unit") { Description = "只推送该单位及下级的通知 / only notices for this unit and those under it" };
        var add = new Command("add", "添加 webhook / add a webhook") { url, secret, unit };
        add.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var hook = await scope.ServiceProvider.GetRequiredService<Data.Notifications.NotificationAdmin>()
                .AddWebhookAsync(result.GetValue(url), result.GetValue(secret), result.GetValue(unit), ct);
            await output.WriteLineAsync(FormattableString.Invariant($"webhook {hook.Id}: {hook.Url}{(hook.Unit is null ? "" : $" (unit {hook.Unit})")}"));
            return 0;
        });

        var list = new Command("list", "webhook 列表（不显示密钥）/ list webhooks, without secrets");
        list.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            foreach (var hook in await scope.ServiceProvider.GetRequiredService<Data.Notifications.NotificationAdmin>().WebhooksAsync(ct))
            {
                await output.WriteLineAsync(string.Join('\t', hook.Id.ToString(CultureInfo.InvariantCulture), hook.Url, hook.Unit ?? "-", hook.Active ? "active" : "inactive"));
            }

            return 0;
        });
        return new Command("webhooks", "通知推送 webhook / outbound webhooks") { add, list };
    }

    private static Command DeliverCommand(TextWriter output, TimeProvider? clock)
    {
        var now = new Option<string?>("--now") { Description = "按此时刻投递到期的通知（默认现在）/ deliver what is due at this instant" };
        var deliver = new Command("deliver", "投递到期的 webhook 和邮件通知（至少一次）/ send due webhook and email notifications, at least once") { now };
        deliver.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var at = (clock ?? TimeProvider.System).GetUtcNow();
            if (result.GetValue(now) is { } text && !ChinaTime.TryParseInstant(text, out at))
            {
                throw new FormatException($"无法识别的时间 / not a time: {text}");
            }

            var summary = await scope.ServiceProvider.GetRequiredService<Data.Notifications.DeliverDue>().RunAsync(at, ct);
            await output.WriteLineAsync(summary.ToString());
            return 0;
        });
        return deliver;
    }

    private static Command DbCommand(TextWriter output, TextWriter error, TimeProvider? clock)
    {
        var migrate = new Command("migrate", "建库或升级到当前版本 / create or upgrade the schema");
        migrate.SetAction(async (result, ct) =>
        {
            await using var scope = await OpenAsync(result, clock, ct);
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var applied = await db.Database.GetAppliedMigrationsAsync(ct);
            await output.WriteLineAsync($"schema: {applied.LastOrDefault()}");
            return 0;
        });
        return new Command("db", "数据库 / database") { migrate };
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    /// <summary>The CLI acts as the operator: it sees everything, as the database's owner does.</summary>
    private static readonly Actor Operator = new("cli", "命令行", 0, new HashSet<Role> { Role.Admin });

    private static IConfiguration Configuration(ParseResult result)
    {
        var builder = new ConfigurationBuilder().AddEnvironmentVariables();
        var overrides = new Dictionary<string, string?>();
        if (result.GetValue(DbOption) is { Length: > 0 } db)
        {
            var postgres = db.Contains("Host=", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgres", StringComparison.OrdinalIgnoreCase);
            overrides["Database:Provider"] = postgres ? "postgres" : "sqlite";
            overrides["ConnectionStrings:Duban"] = postgres || db.Contains('=', StringComparison.Ordinal) ? db : $"Data Source={db}";
        }

        return builder.AddInMemoryCollection(overrides).Build();
    }

    /// <summary>A service scope on a migrated database, with the added calendar years loaded.</summary>
    private static async Task<AsyncServiceScope> OpenAsync(ParseResult result, TimeProvider? clock, CancellationToken ct)
    {
        var configuration = Configuration(result);
        var services = new ServiceCollection()
            .AddLogging(l => l.AddFilter(_ => false))
            .AddSingleton(clock ?? TimeProvider.System)
            .AddSingleton(configuration)
            .AddDubanData()
            .BuildServiceProvider();
        var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await Database.MigrateAsync(db, scope.ServiceProvider.GetRequiredService<DatabaseOptions>(), ct);
        await scope.ServiceProvider.GetRequiredService<Rules>().ReloadCalendarAsync(db, ct);
        return scope;
    }

    private static string Iso(DateTimeOffset instant) =>
        ChinaTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
