using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Duban.TimeLimits;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Duban.Data;

/// <summary>What one run did.</summary>
public sealed record DeliverySummary(int Sent, int Retrying, int Dead)
{
    public override string ToString() => FormattableString.Invariant($"已投递 {Sent} 条，待重试 {Retrying} 条，投递失败 {Dead} 条");
}

/// <summary>
/// Works the outbox: claims due deliveries, sends them outside any database transaction and records each outcome.
/// <para>
/// Claiming commits <c>Attempts + 1</c> and moves <c>NextAttemptAt</c> a lease ahead (<see cref="NotificationOptions.ClaimLease"/>)
/// before anything is sent; on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so several workers take different rows
/// and none waits. If the process dies mid-send, the lease runs out and another run sends again: delivery is
/// <b>at least once</b>, and a receiver that must act once dedupes by <c>X-Duban-Delivery</c> (the delivery id, also in
/// the body and the email's Message-Id). Because attempts are counted at the claim, a delivery that crashes the
/// sender still ends dead after <see cref="NotificationOptions.MaxAttempts"/>.
/// </para>
/// <para>
/// A failure waits <see cref="NotificationOptions.Backoff"/> (1, 2, 4 … minutes, capped) and the last one makes the
/// delivery dead (the dead-letter list). Every send ends within <see cref="NotificationOptions.Timeout"/>, and sends in
/// a batch run side by side, so an unreachable or slow receiver holds up the others by at most that timeout. The deadline
/// sweep never waits for any of this: it only writes rows; this runs in its own loop.
/// </para>
/// </summary>
public sealed class DeliverDue(DubanDbContext db, NotificationOptions options, WebhookSender webhooks, EmailSender email, RobotSender robots,
    ISmsProvider sms, ILogger<DeliverDue> logger)
{
    public const int BatchSize = 20, MaxBatchesPerRun = 10, Parallelism = 8;

    public async Task<DeliverySummary> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        int sent = 0, retrying = 0, dead = 0;
        var started = Stopwatch.GetTimestamp();
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var claimed = await ClaimAsync(now, now + Stopwatch.GetElapsedTime(started) + options.ClaimLease, cancellationToken);
            if (claimed.Count == 0)
            {
                break;
            }

            var work = await PrepareAsync(claimed, cancellationToken);
            var outcomes = new ConcurrentDictionary<long, Outcome>();
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (item, token) => outcomes[item.Delivery.Id] = await SendAsync(item, now, token));

            foreach (var outcome in await RecordAsync(outcomes, now, cancellationToken))
            {
                switch (outcome)
                {
                    case DeliveryStatus.Sent: sent++; break;
                    case DeliveryStatus.Pending: retrying++; break;
                    case DeliveryStatus.Dead: dead++; break;
                }
            }

            if (claimed.Count < BatchSize)
            {
                break;
            }
        }

        return new DeliverySummary(sent, retrying, dead);
    }

    /// <summary>Takes up to a batch of due deliveries: counts the attempt and leases them, in one short transaction.</summary>
    private async Task<List<Delivery>> ClaimAsync(DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        List<Delivery> rows;
        if (db.Database.IsNpgsql())
        {
            rows = await db.Deliveries.FromSqlInterpolated(
                $"""
                SELECT * FROM deliveries WHERE "NextAttemptAt" <= {now.ToUniversalTime()}
                ORDER BY "NextAttemptAt", "Id" LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
        }
        else
        {
            // SQLite: the transaction holds the only write lock, so reading the batch inside it is a claim.
            rows = await db.Deliveries.Where(d => d.NextAttemptAt <= now).OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Take(BatchSize).ToListAsync(cancellationToken);
        }

        foreach (var row in rows)
        {
            row.Attempts++;
            row.NextAttemptAt = leaseUntil;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return rows;
    }

    /// <summary>Reads what the claimed deliveries need to say and where to go (no locks held).</summary>
    private async Task<List<Work>> PrepareAsync(List<Delivery> claimed, CancellationToken cancellationToken)
    {
        var noticeIds = claimed.Select(d => d.NoticeId).Distinct().ToList();
        var notices = await db.Notices.AsNoTracking().Include(n => n.Escalation).Where(n => noticeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, cancellationToken);
        var unitIds = notices.Values.Select(n => n.UnitId).Distinct().ToList();
        var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Code, cancellationToken);
        var matterIds = notices.Values.Select(n => n.MatterId).OfType<long>().Distinct().ToList();
        var matters = await db.Matters.AsNoTracking().Where(m => matterIds.Contains(m.Id))
            .Select(m => new { m.Id, m.Code, m.Title }).ToDictionaryAsync(m => m.Id, cancellationToken);
        var open = (await db.Milestones.AsNoTracking().Where(m => matterIds.Contains(m.MatterId) && m.MetAt == null)
                .Select(m => new { m.MatterId, m.Stage, m.DueAt }).ToListAsync(cancellationToken))
            .GroupBy(m => m.MatterId).ToDictionary(g => g.Key, g => g.OrderBy(m => m.DueAt).First());
        var hookIds = claimed.Where(d => d.Channel == DeliveryChannel.Webhook)
            .Select(d => long.TryParse(d.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Distinct().ToList();
        var hooks = await db.Webhooks.AsNoTracking().Where(w => hookIds.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        var robotIds = claimed.Where(d => d.Channel == DeliveryChannel.Robot)
            .Select(d => long.TryParse(d.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0).Distinct().ToList();
        var robotRows = robotIds.Count == 0 ? [] : await db.UnitChannels.AsNoTracking().Where(c => robotIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

        var work = new List<Work>();
        foreach (var delivery in claimed)
        {
            var notice = notices[delivery.NoticeId];
            var matter = notice.MatterId is { } mid && matters.TryGetValue(mid, out var m) ? m : null;
            // The rung's own stage and deadline when the sweep raised it; otherwise the matter's next open milestone.
            Stage? stage = notice.Escalation?.Stage;
            var due = notice.Escalation?.ForDueAt;
            if (stage is null && notice.MatterId is { } id && open.TryGetValue(id, out var next))
            {
                (stage, due) = (next.Stage, next.DueAt);
            }

            var message = new NotificationMessage(delivery.Id, notice.Kind is { } k ? WireEnum.Name(k) : "notice", notice.Id, notice.Title, notice.Body,
                notice.MatterId, matter?.Code, matter?.Title, stage, due, notice.Link is { } link ? options.Link(link) : null,
                units.GetValueOrDefault(notice.UnitId, ""), notice.CreatedAt);
            Webhook? hook = null;
            if (delivery.Channel == DeliveryChannel.Webhook
                && long.TryParse(delivery.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var hookId))
            {
                hook = hooks.GetValueOrDefault(hookId);
            }

            UnitChannel? robot = null;
            if (delivery.Channel == DeliveryChannel.Robot
                && long.TryParse(delivery.Target, NumberStyles.None, CultureInfo.InvariantCulture, out var robotId))
            {
                robot = robotRows.GetValueOrDefault(robotId);
            }

            work.Add(new Work(delivery, message, hook, robot));
        }

        return work;
    }

    private async Task<Outcome> SendAsync(Work item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        try
        {
            switch (item.Delivery.Channel)
            {
                case DeliveryChannel.Webhook:
                    if (item.Hook is not { Active: true } hook)
                    {
                        return Outcome.GiveUp("webhook 已停用或已删除");
                    }

                    return await webhooks.SendAsync(hook, item.Message, now, deadline.Token);
                case DeliveryChannel.Email:
                    if (!options.Email.Enabled)
                    {
                        return Outcome.Failed("邮件发送未启用（Email:Enabled）");
                    }

                    return await email.SendAsync(item.Delivery.Target, item.Message, now, deadline.Token);
                case DeliveryChannel.Robot:
                    if (item.Robot is not { Url: not null } robot)
                    {
                        return Outcome.GiveUp("群机器人已删除 / robot removed");
                    }

                    return await robots.SendAsync(robot, item.Message, now, deadline.Token);
                case DeliveryChannel.Sms:
                    if (!sms.Enabled)
                    {
                        return Outcome.Failed("短信服务未开通（Sms:Enabled）/ SMS is disabled");
                    }

                    return await sms.SendAsync(item.Delivery.Target, item.Message.Sms(),
                        item.Delivery.Id.ToString(CultureInfo.InvariantCulture), now, deadline.Token);
            }

            return Outcome.GiveUp("unknown channel");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome.Failed(FormattableString.Invariant($"超时（{options.Timeout.TotalSeconds:0.#} 秒）"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Outcome.Failed(Describe(ex));
        }
    }

    /// <summary>Records each outcome; returns the status each delivery ended in.</summary>
    private async Task<List<DeliveryStatus>> RecordAsync(ConcurrentDictionary<long, Outcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = outcomes.Keys.ToList();
        var rows = await db.Deliveries.Where(d => ids.Contains(d.Id)).ToListAsync(cancellationToken);
        var statuses = new List<DeliveryStatus>();
        foreach (var row in rows.Where(r => r.Status == DeliveryStatus.Pending))
        {
            var outcome = outcomes[row.Id];
            if (outcome.Error is null)
            {
                row.Status = DeliveryStatus.Sent;
                row.SentAt = now;
                row.NextAttemptAt = null;
                row.LastError = null;
            }
            else
            {
                row.LastError = outcome.Error.Length <= 2000 ? outcome.Error : outcome.Error[..2000];
                if (outcome.Permanent || row.Attempts >= options.MaxAttempts)
                {
                    row.Status = DeliveryStatus.Dead;
                    row.NextAttemptAt = null;
                    logger.LogWarning("Delivery {Id} ({Channel} {Target}) is dead after {Attempts} attempts: {Error}", row.Id, row.Channel, row.Target, row.Attempts, row.LastError);
                }
                else
                {
                    row.NextAttemptAt = now + options.Backoff(row.Attempts);
                }
            }

            statuses.Add(row.Status);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return statuses;
    }

    private static string Describe(Exception ex)
    {
        var text = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!text.Contains(inner.Message, StringComparison.Ordinal))
            {
                text += " → " + inner.Message;
            }
        }

        return $"{ex.GetType().Name}: {text}";
    }

    private sealed record Work(Delivery Delivery, NotificationMessage Message, Webhook? Hook, UnitChannel? Robot);
}

/// <summary>How one attempt ended: <see cref="Error"/> null when the receiver accepted it.</summary>
public sealed record Outcome(string? Error, bool Permanent)
{
    public static Outcome Ok { get; } = new(null, false);

    public static Outcome Failed(string error) => new(error, false);

    /// <summary>A failure no retry can fix: dead at once.</summary>
    public static Outcome GiveUp(string error) => new(error, true);
}
