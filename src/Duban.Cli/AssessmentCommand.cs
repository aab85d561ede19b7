using System.CommandLine;

namespace Duban.Cli;

/// <summary><c>duban assessment …</c>: 考评. Holds <c>targets</c> (目标任务); the scheme commands join it.</summary>
internal sealed class AssessmentCommand(CliContext cli)
{
    public Command Create() => new("assessment", "考评 / assessment")
    {
        new TargetsCommand(cli).Create(),
    };
}
