namespace Duban.Data;

/// <summary>An enterprise (企业) that cadres are paired with (包联).</summary>
public sealed class Enterprise
{
    public long Id { get; set; }
    public required string Name { get; set; }

    /// <summary>统一社会信用代码, 18 characters; unique, the key imports and appeals use.</summary>
    public required string CreditCode { get; set; }

    /// <summary>The area it lies in (所属区域), a unit.</summary>
    public long RegionUnitId { get; set; }
    public Unit? RegionUnit { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One cadre paired with one enterprise over a span of days (包联关系). A change of cadre ends the current row and
/// starts a new one; rows are never overwritten or deleted, so who was responsible on any date stays answerable.
/// </summary>
public sealed class EnterprisePairing
{
    public long Id { get; set; }
    public long EnterpriseId { get; set; }
    public Enterprise? Enterprise { get; set; }
    public long CadreId { get; set; }
    public User? Cadre { get; set; }

    /// <summary>The first day (Beijing date) of the pairing.</summary>
    public DateOnly From { get; set; }

    /// <summary>The day after the last day, or null while current: [From, To).</summary>
    public DateOnly? To { get; set; }

    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? EndedById { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>A cadre's visit to an enterprise (走访记录).</summary>
public sealed class Visit
{
    public long Id { get; set; }
    public long EnterpriseId { get; set; }
    public Enterprise? Enterprise { get; set; }
    public long CadreId { get; set; }
    public User? Cadre { get; set; }

    /// <summary>The Beijing date of the visit.</summary>
    public DateOnly Date { get; set; }

    public required string Content { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public List<VisitProblem> Problems { get; set; } = [];
}

/// <summary>A problem the enterprise raised on a visit, registered on the spot as an appeal (channel 包联走访).</summary>
public sealed class VisitProblem
{
    public long Id { get; set; }
    public long VisitId { get; set; }
    public int Position { get; set; }
    public required string Title { get; set; }

    /// <summary>The appeal registered for it; null only if registering failed after the visit was saved.</summary>
    public long? AppealId { get; set; }
}

/// <summary>What a web import is doing (导入批次): the page polls it for progress, and its report is kept for download.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }

    /// <summary><c>appeals</c>, <c>enterprises</c> or <c>pairings</c>.</summary>
    public required string Kind { get; set; }

    public required string FileName { get; set; }
    public bool DryRun { get; set; }
    public bool Historical { get; set; }
    public required string ActorId { get; set; }
    public required string ActorName { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Rows done, saved and rejected so far.</summary>
    public int Done { get; set; }
    public int Saved { get; set; }
    public int Rejected { get; set; }

    /// <summary>A whole-file refusal (e.g. a zip bomb), or an unexpected failure.</summary>
    public string? Error { get; set; }

    /// <summary>The finished report as JSON.</summary>
    public string? ReportJson { get; set; }
}
