using Duban.Matters;

namespace Duban.Data;

/// <summary>What a citizen, an enterprise or an operator submits as an appeal (诉求), as the API and the form spell it.</summary>
public record AppealInput
{
    public string? Title { get; init; }
    public string? Content { get; init; }

    /// <summary>诉求分类: one of <see cref="Duban.Appeals.AppealCategories.All"/>.</summary>
    public string? Category { get; init; }

    /// <summary>所属区域: a unit code (a county, township or village).</summary>
    public string? Region { get; init; }

    public string? ContactName { get; init; }
    public string? ContactPhone { get; init; }
    public string? EnterpriseName { get; init; }

    /// <summary>统一社会信用代码 (18 characters).</summary>
    public string? EnterpriseCode { get; init; }

    /// <summary>A lead unit chosen by staff (e.g. a hotline operator dispatching); otherwise the routing rules choose,
    /// and without a matching rule the receiving unit keeps it (首接首办).</summary>
    public string? LeadUnit { get; init; }

    /// <summary>Support and opposition counts, when imported from a public message board.</summary>
    public int? Likes { get; init; }
    public int? Dislikes { get; init; }
}

/// <summary>How an appeal arrives: who records it, through which channel, and for imported history when it happened.</summary>
/// <param name="Actor">Who records it; their unit is the first receiver (首接) and the matter's assigner.</param>
/// <param name="Channel">网上 web, 热线 hotline, 线下 offline, 包联走访 visit or 导入 import.</param>
public sealed record Intake(Actor Actor, MatterSource Channel)
{
    /// <summary>The client's key for this submission (<c>Idempotency-Key</c>), unique per <see cref="Actor"/>: a retry with
    /// the same key and body returns the same appeal, a different body is refused (409).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>When it was received, if earlier than now (imported history). Its 13710 clock starts then.</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>For imported history: the reply and when it was given. The appeal is then stored closed, its events
    /// (acknowledged, completed with the reply, verified, closed) carrying that instant.</summary>
    public AppealReply? Closed { get; init; }

    /// <summary>Files that came with the appeal, already in the blob store; recorded as one 上传附件 event in the same
    /// transaction as the appeal. (If that transaction fails, the blobs stay behind unreferenced: harmless, and what a
    /// clean-up of unreferenced blobs would remove.)</summary>
    public IReadOnlyList<Duban.Attachments.AttachedFile>? Files { get; init; }
}

/// <summary>A reply given to an appeal (答复意见) and when.</summary>
public sealed record AppealReply(DateTimeOffset RepliedAt, string Reply);

/// <summary>An appeal as <see cref="AppealIntake.Validate"/> leaves it: cleaned, with what is wrong by field.</summary>
/// <param name="Input">The input, every text field cleaned.</param>
/// <param name="IdempotencyKey">The idempotency key, cleaned.</param>
/// <param name="ReceivedAt">When it was received (now, unless imported history says otherwise).</param>
/// <param name="Errors">The problems found without a database, by field, in Chinese; empty when none.</param>
public sealed record AppealValidation(AppealInput Input, string? IdempotencyKey, DateTimeOffset ReceivedAt, Dictionary<string, string[]> Errors);

/// <summary>The outcome of a registration.</summary>
/// <param name="AppealId">The appeal.</param>
/// <param name="MatterId">Its matter.</param>
/// <param name="TrackingCode">The 查询码, bare.</param>
/// <param name="Created">False when an earlier request with the same idempotency key had already made it.</param>
/// <param name="RepeatOfId">The earlier appeal this one repeats (重复件), if any.</param>
/// <param name="MatterCode">The matter's number (DB-2026-000123).</param>
/// <param name="LeadUnit">The lead unit's name.</param>
/// <param name="RepeatOfCode">The repeated appeal's 查询码, bare, if any.</param>
public sealed record AppealRegistered(long AppealId, long MatterId, string TrackingCode, bool Created, long? RepeatOfId,
    string MatterCode, string LeadUnit, string? RepeatOfCode);

/// <summary>Settings under <c>Appeals:</c>.</summary>
public sealed record AppealOptions
{
    /// <summary>The unit that receives appeals from the public portal (its code); default: the root of the unit tree.</summary>
    public string? IntakeUnit { get; init; }

    /// <summary>An appeal from the same phone within this many days, with similar text, is a repeat (重复件).</summary>
    public int RepeatWindowDays { get; init; } = 30;

    /// <summary>The text similarity (0–1) at which a same-contact appeal counts as a repeat.</summary>
    public double RepeatThreshold { get; init; } = Duban.Appeals.RepeatRule.DefaultThreshold;

    public static AppealOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new AppealOptions { IntakeUnit = configuration["Appeals:IntakeUnit"] };
        if (configuration["Appeals:RepeatWindowDays"] is { } days)
        {
            options = options with
            {
                RepeatWindowDays = int.TryParse(days, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d <= 3650
                    ? d
                    : throw new FormatException($"Appeals:RepeatWindowDays: \"{days}\" 应为 0–3650 的整数"),
            };
        }

        if (configuration["Appeals:RepeatThreshold"] is { } threshold)
        {
            options = options with
            {
                RepeatThreshold = double.TryParse(threshold, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t is > 0 and <= 1
                    ? t
                    : throw new FormatException($"Appeals:RepeatThreshold: \"{threshold}\" 应为 0–1 之间的小数"),
            };
        }

        return options;
    }
}
