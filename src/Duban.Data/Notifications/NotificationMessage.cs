using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Duban.Calendar;
using Duban.Escalation;
using Duban.Matters;
using Duban.TimeLimits;

namespace Duban.Data;

/// <summary>What one delivery says, for either channel: the notice and where its matter stands.</summary>
public sealed record NotificationMessage(
    long DeliveryId,
    string Event,
    long NoticeId,
    string Title,
    string Body,
    long? MatterId,
    string? MatterCode,
    string? MatterTitle,
    Stage? Stage,
    DateTimeOffset? DueAt,
    string? Link,
    string Unit,
    DateTimeOffset CreatedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // Chinese stays readable; still valid JSON
    };

    /// <summary>The webhook body (camelCase JSON, UTF-8); the bytes that are signed.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new Payload(
        DeliveryId, Event, NoticeId, Title, Body, MatterId, MatterCode, MatterTitle,
        Stage is { } s ? WireEnum.Name(s) : null,
        DueAt is { } d ? ChinaTime.ToLocal(d) : null,
        Link, Unit, ChinaTime.ToLocal(CreatedAt)), Json);

    /// <summary>The email subject: the notice's title.</summary>
    public string Subject => Title;

    /// <summary>The email body (plain text, Chinese): the notice, the matter code, stage, deadline and link.</summary>
    public string EmailText()
    {
        var text = new StringBuilder();
        text.Append(Title).Append("\n\n").Append(Body).Append("\n\n");
        if (MatterCode is not null)
        {
            text.Append("事项编号：").Append(MatterCode).Append('\n');
        }

        if (MatterTitle is not null)
        {
            text.Append("事项名称：").Append(MatterTitle).Append('\n');
        }

        if (Stage is { } stage)
        {
            text.Append("办理节点：").Append(Labels.Of(stage)).Append('\n');
        }

        if (DueAt is { } due)
        {
            text.Append("期限：").Append(NoticeText.Deadline(due)).Append("（北京时间）\n");
        }

        if (Link is not null)
        {
            text.Append("查看详情：").Append(Link).Append('\n');
        }

        text.Append("\n—— 督办系统自动发送，请勿直接回复。通知编号 ")
            .Append(NoticeId.ToString(CultureInfo.InvariantCulture)).Append('-').Append(DeliveryId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    /// <summary>The matter's particulars as label and value (事项编号, 事项名称, 办理节点, 期限), for the robots' messages.</summary>
    public IReadOnlyList<(string Label, string Value)> Facts()
    {
        var facts = new List<(string, string)>();
        if (MatterCode is not null)
        {
            facts.Add(("事项编号", MatterCode));
        }

        if (MatterTitle is not null)
        {
            facts.Add(("事项名称", MatterTitle));
        }

        if (Stage is { } stage)
        {
            facts.Add(("办理节点", Labels.Of(stage)));
        }

        if (DueAt is { } due)
        {
            facts.Add(("期限", NoticeText.Deadline(due) + "（北京时间）"));
        }

        return facts;
    }

    /// <summary>The closing line of a robot message; "督办系统" in it passes a robot's keyword check (自定义关键词).</summary>
    public string Footer => NoticeId == 0
        ? "督办系统发送的测试消息，请勿回复"
        : FormattableString.Invariant($"督办系统自动发送，请勿回复 · 通知编号 {NoticeId}-{DeliveryId}");

    /// <summary>The text message: the notice's title (at most <see cref="SmsText.MaxTitle"/> characters) and the deadline.</summary>
    public SmsText Sms() => SmsText.Of(Title, DueAt);

    private sealed record Payload(
        long DeliveryId,
        string Event,
        long NoticeId,
        string Title,
        string Body,
        long? MatterId,
        string? MatterCode,
        string? MatterTitle,
        string? Stage,
        DateTimeOffset? DueAt,
        string? Link,
        string Unit,
        DateTimeOffset CreatedAt);
}
