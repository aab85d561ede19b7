using System.Data.Common;
using Duban.Matters;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data;

/// <summary>
/// Refuses a command whose text parameters hold NUL (U+0000) before it reaches the database: PostgreSQL cannot store
/// or even compare NUL in text (it failed the request with a 500), while SQLite would keep it silently. Free text is
/// cleaned where it enters (<see cref="Text.UserText.Clean"/>); this is the one place that catches what is not free
/// text — a unit code, a user name, a key looked up — on both engines alike, as a 400.
/// </summary>
public sealed class NulTextGuard : DbCommandInterceptor
{
    public static NulTextGuard Instance { get; } = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Check(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Check(command);
        return ValueTask.FromResult(result);
    }

    /// <summary>Throws <see cref="ValidationFailedException"/> when a text parameter (or a text in an array parameter) holds NUL.</summary>
    public static void Check(DbCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (DbParameter parameter in command.Parameters)
        {
            if (HasNul(parameter.Value))
            {
                throw ValidationFailedException.For("text", "输入中含有空字符（NUL），无法保存或查询；请删去不可见的控制字符后重试。");
            }
        }
    }

    private static bool HasNul(object? value) => value switch
    {
        string s => s.Contains('\0', StringComparison.Ordinal),
        IEnumerable<string?> list => list.Any(s => s is not null && s.Contains('\0', StringComparison.Ordinal)),
        _ => false,
    };
}
