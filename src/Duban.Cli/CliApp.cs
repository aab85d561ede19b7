using System.CommandLine;
using Duban.Data;
using Duban.Matters;

namespace Duban.Cli;

/// <summary>
/// The <c>duban</c> command line. It works on the database directly, with full rights, like a DBA's console:
/// whoever can run it can already read the database file. Each command group is a small class owning its parsing and
/// its handlers; what they share (the database, the clock, the writers) is <see cref="CliContext"/>.
/// </summary>
public static class CliApp
{
    /// <summary>Runs one command; the exit code is 0, 1 for a refused input or failed row, or what the command says.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        var cli = new CliContext(output, error, clock);
        var jobs = new JobsCommand(cli);
        var backup = new BackupCommand(cli);
        var root = new RootCommand("督办 Duban 命令行工具")
        {
            new CalendarCommand(cli).Create(),
            new UnitsCommand(cli).Create(),
            new TokenCommand(cli).Create(),
            new UsersCommand(cli).Create(),
            new MattersCommand(cli).Create(),
            new DbCommand(cli).Create(),
            jobs.Sweep(),
            new WebhooksCommand(cli).Create(),
            new ChannelsCommand(cli).Create(),
            jobs.Deliver(),
            new TextCommand(cli).Create(),
            new AccountabilityCommand(cli).Create(),
            new SimilarCommand(cli).Create(),
            new RouteCommand(cli).Create(),
            new ImportCommand(cli).Create(),
            new ItemsCommand(cli).Create(),
            new PairingCommand(cli).Create(),
            new AttachmentsCommand(cli).Create(),
            new ReportCommand(cli).Create(),
            new AssessmentCommand(cli).Create(),
            new AuditCommand(cli).Create(),
            new SeedCommand(cli).Create(),
            backup.Backup(),
            backup.Restore(),
        };
        root.Options.Add(CliContext.DbOption);
        foreach (var help in root.Options.OfType<System.CommandLine.Help.HelpOption>())
        {
            help.Description = "显示帮助"; // the parser's own resources leave this one in English
        }

        var parsed = root.Parse(args);
        // What the command changes is recorded in the audit trail as the operating-system user's.
        using var actor = AuditActor.Use(new AuditActor("cli:" + Environment.UserName, "命令行（" + Environment.UserName + "）"));
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
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM (e.g. a script's time bound): the parser cancels the command's token.
            await error.WriteLineAsync("已中止：收到停止信号，命令未完成。");
            return 130;
        }
        catch (Exception ex) when (ex is DomainException or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // The runtime's own file messages are English; say them in Chinese with the path.
            var message = ex switch
            {
                FileNotFoundException missing => $"找不到文件：{missing.FileName}",
                DirectoryNotFoundException => "找不到文件所在的文件夹",
                UnauthorizedAccessException => "没有读写该文件的权限",
                _ => ex.Message,
            };
            await error.WriteLineAsync($"错误：{message}");
            return 1;
        }
    }
}
