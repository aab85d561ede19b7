using System.CommandLine;
using System.Globalization;
using Duban.Calendar;
using Duban.Data;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duban.Cli;

/// <summary>
/// What every command group shares, in one place: where to write, the clock, the <c>--db</c> option and the
/// service provider over it, the operator the CLI acts as, and the few output and parsing helpers several groups use.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TimeProvider? clock)
{
    /// <summary>The global <c>--db</c>: a SQLite file or a PostgreSQL connection string (else configuration decides).</summary>
    public static readonly Option<string?> DbOption = new("--db")
    {
        Description = "数据库：SQLite 文件路径或 PostgreSQL 连接字符串（Host=…）",
        Recursive = true,
    };

    /// <summary>The CLI acts as the operator: it sees everything, as the database's owner does.</summary>
    public static readonly Actor Operator = new("cli", "命令行", 0, new HashSet<Role> { Role.Admin });

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Clock { get; } = clock ?? TimeProvider.System;

    /// <summary>Environment variables, overridden by <c>--db</c> when given.</summary>
    public static IConfiguration Configuration(ParseResult result)
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
    public async Task<AsyncServiceScope> OpenAsync(ParseResult result, CancellationToken ct)
    {
        var configuration = Configuration(result);
        var services = new ServiceCollection()
            .AddLogging(l => l.AddFilter(_ => false))
            .AddSingleton(Clock)
            .AddSingleton(configuration)
            .AddDubanData()
            .BuildServiceProvider();
        var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await Database.MigrateAsync(db, scope.ServiceProvider.GetRequiredService<DatabaseOptions>(), ct);
        await scope.ServiceProvider.GetRequiredService<Rules>().ReloadCalendarAsync(db, ct);
        return scope;
    }

    /// <summary><c>--unit</c> of the import commands: the unit in whose name rows are received.</summary>
    public static Option<string?> ReceivingUnitOption() => new("--unit")
    {
        Description = "以哪个单位的名义受理（默认根单位）",
    };

    /// <summary>The operator acting for a real unit (appeals need a receiving unit): <c>--unit</c>, or the root.</summary>
    public static async Task<Actor> OperatorForUnitAsync(IServiceProvider services, string? unitCode, CancellationToken ct)
    {
        var db = services.GetRequiredService<DubanDbContext>();
        var unit = await db.Units.AsNoTracking().Where(u => u.Active && (unitCode == null ? u.ParentId == null : u.Code == unitCode))
            .OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct)
            ?? throw ValidationFailedException.For("unit", unitCode is null ? "数据库里还没有单位。" : $"单位代码「{unitCode}」不存在。");
        return Operator with { UnitId = unit };
    }

    /// <summary>The instant of <c>--now</c> (Beijing time unless it carries an offset), or the clock's now.</summary>
    /// <exception cref="FormatException">The text is not a time.</exception>
    public DateTimeOffset NowOr(string? text)
    {
        var at = Clock.GetUtcNow();
        return text is null || ChinaTime.TryParseInstant(text, out at) ? at : throw new FormatException($"无法识别的时间：{text}");
    }

    /// <summary>A wire name (<c>--status pending</c>) as its enum value; an unknown one fails naming the field.</summary>
    public static T? ParseWire<T>(string? text, string field, string what)
        where T : struct, Enum =>
        text is null ? null : WireEnum.TryParse<T>(text, out var value) ? value : throw ValidationFailedException.For(field, $"未知{what}「{text}」。");

    /// <summary>Prints each rejected row of an import (<c>第 5 行 B5: …</c>) and returns how many there were.</summary>
    public async Task<int> WriteRejectedRowsAsync(IEnumerable<ImportRowResult> rows)
    {
        var rejected = 0;
        foreach (var row in rows.Where(r => r.Outcome == RowOutcome.Rejected))
        {
            rejected++;
            await Output.WriteLineAsync(FormattableString.Invariant($"第 {row.Row} 行{(row.Cell is null ? "" : $" {row.Cell}")}: {row.Reason}"));
        }

        return rejected;
    }

    /// <summary>An instant as Beijing time, ISO 8601 with its offset.</summary>
    public static string Iso(DateTimeOffset instant) =>
        ChinaTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
