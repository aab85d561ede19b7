using System.Globalization;

namespace Duban.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // The parser's own words (help headings, "unrecognized command") in Chinese, like everything else it prints;
        // formatting of numbers and dates stays invariant where the commands ask for it.
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        return CliApp.RunAsync(args, Console.Out, Console.Error);
    }
}
