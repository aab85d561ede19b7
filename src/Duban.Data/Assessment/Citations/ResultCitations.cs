using System.Globalization;
using Duban.Calendar;
using Duban.Matters;

namespace Duban.Data;

/// <summary>
/// 生成通报 from a published 考评结果: a draft 通报表扬 of the top <c>N</c> or 通报批评 of the bottom <c>N</c> of the
/// ranking, each unit's reason its rank and total, made through <see cref="CitationBook"/> (then edited and published on
/// the citation's own page).
/// </summary>
public sealed class ResultCitations(AssessmentResults results, CitationBook citations, TimeProvider clock)
{
    /// <summary>Makes the draft and returns its id.</summary>
    /// <exception cref="RuleConflictException">The result is not published.</exception>
    /// <exception cref="ValidationFailedException">An unknown kind, or N not between 1 and the number of ranked units.</exception>
    public async Task<long> CreateAsync(long schemeId, string? period, string? kind, int? count, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var table = await results.GetAsync(schemeId, period, actor, cancellationToken);
        if (!table.Published)
        {
            throw new RuleConflictException($"{table.Period.Label}的考评结果还没有发布，发布后才能据此通报。");
        }

        var input = Draft(table, kind, count, ChinaTime.DateOf(clock.GetUtcNow()));
        return await citations.CreateAsync(input, actor, cancellationToken);
    }

    /// <summary>The draft for a table: the ranked rows, best first for a commendation and worst first for a criticism,
    /// the first <paramref name="count"/> of them.</summary>
    public static NewCitation Draft(AssessmentTable table, string? kind, int? count, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(table);
        var commend = kind?.Trim().ToUpperInvariant() switch
        {
            "COMMENDATION" => true,
            "CRITICISM" => (bool?)false,
            _ => null,
        };
        if (commend is null)
        {
            throw ValidationFailedException.For("kind", "请选择通报表扬（前几名）或通报批评（后几名）。");
        }

        var ranked = table.Rows.Where(r => r.Rank is not null).OrderBy(r => r.Rank).ThenBy(r => r.Code, StringComparer.Ordinal).ToList();
        if (count is not { } n || n < 1 || n > ranked.Count)
        {
            throw ValidationFailedException.For("count", ranked.Count == 0 ? "本期没有参与排名的单位，不能据此通报。" : $"名数须为 1 至 {ranked.Count}。");
        }

        var picked = (commend.Value ? ranked : Enumerable.Reverse(ranked)).Take(n).ToList();
        var citationKind = commend.Value ? CitationKind.Commendation : CitationKind.Criticism;
        var source = $"{table.Period.Label}「{table.SchemeName}」考评中";
        var units = picked.Select(r => new CitationUnitInput(r.UnitId, string.Create(CultureInfo.InvariantCulture,
            $"{table.Period.Label}{table.SchemeName}考评第 {r.Rank} 名（{table.Group}，总分 {r.Total:0.00} 分）"))).ToList();
        return new NewCitation(commend.Value ? "commendation" : "criticism", units,
            Body: CitationBook.DefaultBody(citationKind, date, picked.Select(r => r.Name).ToList(), source));
    }
}
