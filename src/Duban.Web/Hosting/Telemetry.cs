using System.Diagnostics.Metrics;
using System.Net;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;

namespace Duban.Web;

/// <summary>
/// Duban's own measurements, beside ASP.NET Core's (requests and their latencies) and the runtime's (GC, thread pool):
/// how long each deadline sweep takes, the import queue, deliveries waiting and dead, and the audit chain's length.
/// Counts that need the database are sampled every 30 seconds by <see cref="MetricsSampler"/>, so a scrape never queries.
/// </summary>
public sealed class DubanMetrics : IDisposable
{
    public const string MeterName = "Duban";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _sweep;

    public DubanMetrics(Jobs.ImportWorker imports)
    {
        _sweep = _meter.CreateHistogram<double>("duban.sweep.duration", "s", "How long one deadline sweep took");
        _meter.CreateObservableGauge("duban.import.queue", () => imports.Queued, "{import}", "Imports waiting to run");
        _meter.CreateObservableGauge("duban.deliveries.pending", () => PendingDeliveries, "{delivery}", "Notifications waiting to be delivered");
        _meter.CreateObservableGauge("duban.deliveries.dead", () => DeadDeliveries, "{delivery}", "Notifications given up on (dead letters)");
        _meter.CreateObservableGauge("duban.audit.records", () => AuditRecords, "{record}", "Records in the audit chain");
    }

    public long PendingDeliveries { get; set; }
    public long DeadDeliveries { get; set; }
    public long AuditRecords { get; set; }

    public void SweepTook(TimeSpan elapsed) => _sweep.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}

/// <summary>Samples the database-backed gauges of <see cref="DubanMetrics"/> every 30 seconds.</summary>
public sealed class MetricsSampler(IServiceScopeFactory scopes, DubanMetrics metrics, TimeProvider clock, ILogger<MetricsSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
                metrics.PendingDeliveries = await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending, stoppingToken);
                metrics.DeadDeliveries = await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Dead, stoppingToken);
                metrics.AuditRecords = await db.AuditRecords.MaxAsync(r => (long?)r.Seq, stoppingToken) ?? 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Sampling the metrics failed; retrying at the next interval");
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

public static class TelemetryServices
{
    /// <summary>OpenTelemetry metrics (ASP.NET Core, runtime, Duban's own) read by a Prometheus scrape at /metrics.</summary>
    public static IServiceCollection AddDubanTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<DubanMetrics>().AddHostedService<MetricsSampler>();
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(DubanMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// <c>GET /metrics</c> in Prometheus's text format, answered only to the machine itself (a scraper on loopback,
    /// or behind the reverse proxy's own rule); anyone else gets 404. Every response carries <c>X-Request-Id</c>, the id
    /// the logs and problem answers use, so a person can quote it.
    /// </summary>
    public static WebApplication UseDubanTelemetry(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            http.Response.Headers["X-Request-Id"] = http.TraceIdentifier;
            if (http.Request.Path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
                && http.Connection.RemoteIpAddress is { } address && !IPAddress.IsLoopback(address))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(http);
        });
        return app;
    }

    public static IEndpointRouteBuilder MapDubanMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new HttpMethodMetadata(["GET"])); // a scrape only reads
        return endpoints;
    }
}
