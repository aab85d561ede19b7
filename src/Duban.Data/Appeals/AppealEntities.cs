namespace Duban.Data;

/// <summary>
/// An appeal (诉求) from a citizen or an enterprise: the intake facts beside its <see cref="Matter"/> (kind
/// <c>Appeal</c>), which carries the lifecycle, the 13710 deadlines, the lead unit, the channel
/// (<see cref="Matter.Source"/>: web, hotline, offline, visit, import) and the satisfaction rating.
/// </summary>
public sealed class Appeal
{
    public long Id { get; set; }
    public long MatterId { get; set; }
    public Matter? Matter { get; set; }

    /// <summary>查询码, bare (no dashes): <see cref="Duban.Appeals.TrackingCode"/>. Unique.</summary>
    public required string TrackingCode { get; set; }

    /// <summary>诉求分类, one of <see cref="Duban.Appeals.AppealCategories.All"/>; null only for imported history without one.</summary>
    public string? Category { get; set; }

    /// <summary>The area the problem is in (所属区域), a unit; routing rules match on its subtree.</summary>
    public long? RegionUnitId { get; set; }
    public Unit? RegionUnit { get; set; }

    /// <summary>The enterprise raising it, if any (企业名称).</summary>
    public string? EnterpriseName { get; set; }

    /// <summary>统一社会信用代码, the key 包联 pairings and routing rules use for an enterprise.</summary>
    public string? EnterpriseCode { get; set; }

    /// <summary>Personal data: shown in full only to the handling unit and the supervision office, every view audited.</summary>
    public string? ContactName { get; set; }

    /// <summary>Personal data, normalised by <see cref="Duban.Appeals.PersonalData.NormalizePhone"/>; repeats are found by it.</summary>
    public string? ContactPhone { get; set; }

    /// <summary>Who issued <see cref="IdempotencyKey"/>: the actor id (<c>token:3</c>, <c>portal</c>, <c>import</c>).</summary>
    public string? IdempotencyClient { get; set; }

    /// <summary>The client's key for this submission; (client, key) is unique, so a retry finds this appeal.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>SHA-256 of the submission as cleaned, to tell a retry from a different body under the same key.</summary>
    public string? RequestHash { get; set; }

    /// <summary>重复件: the earlier appeal (the original, never itself a repeat) this one repeats.</summary>
    public long? RepeatOfId { get; set; }
    public Appeal? RepeatOf { get; set; }

    /// <summary>The reply published to the citizen (答复意见).</summary>
    public string? PublicReply { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }

    /// <summary>When the appeal was received (for imported history, the original time).</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>Support and opposition counts from a public message board, when imported from one.</summary>
    public int Likes { get; set; }
    public int Dislikes { get; set; }

    /// <summary>The routing rule that chose the lead unit, if one did.</summary>
    public long? RoutingRuleId { get; set; }
}

/// <summary>A routing rule (分层分级) as stored and managed through <c>/api/routing-rules</c>; see <see cref="Duban.Appeals.RouteRule"/>.</summary>
public sealed class RoutingRule
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public int Priority { get; set; }
    public string? Category { get; set; }
    public long? RegionUnitId { get; set; }
    public Unit? RegionUnit { get; set; }

    /// <summary>Keywords separated by a comma, any one of which must occur.</summary>
    public string? Keywords { get; set; }
    public string? EnterpriseCode { get; set; }
    public long LeadUnitId { get; set; }
    public Unit? LeadUnit { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<string> KeywordList =>
        string.IsNullOrWhiteSpace(Keywords) ? [] : Keywords.Split([',', '，', '、'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public Duban.Appeals.RouteRule ToRule() => new(Id, Priority, Category, RegionUnitId, KeywordList, EnterpriseCode, LeadUnitId);
}

/// <summary>An audit row: someone saw an appeal's personal data unmasked (个人信息查看记录).</summary>
public sealed class PersonalDataView
{
    public long Id { get; set; }
    public long AppealId { get; set; }
    public Appeal? Appeal { get; set; }
    public DateTimeOffset At { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public long ActorUnitId { get; set; }

    /// <summary>Where it was seen: <c>page</c>, <c>api</c>, <c>export</c>.</summary>
    public required string Place { get; set; }
}
