namespace Duban.Data;

/// <summary>
/// Who the audit trail names for the changes made in the current flow of work: the signed-in person or token of a
/// web request, the operator of a CLI command, or a named job. Set once at the edge (<see cref="Use"/>) and read by
/// <see cref="AuditTrail"/> when a change is saved, so no service has to pass it along for the trail's sake.
/// </summary>
/// <param name="Id">Stable id: <c>user:12</c>, <c>token:3</c>, <c>cli:root</c>, <c>system:sweep</c>, <c>anonymous</c>.</param>
/// <param name="Name">As shown on the audit page.</param>
/// <param name="UnitId">The actor's unit, when there is one.</param>
/// <param name="Address">The client's address, for changes that came over the network.</param>
public sealed record AuditActor(string Id, string Name, long? UnitId = null, string? Address = null)
{
    private static readonly AsyncLocal<AuditActor?> Ambient = new();

    /// <summary>Changes made with nobody named (start-up, migrations' data, tests).</summary>
    public static readonly AuditActor System = new("system", "系统");

    /// <summary>The actor of the current flow of work.</summary>
    public static AuditActor Current => Ambient.Value ?? System;

    /// <summary>Names <paramref name="actor"/> until the returned scope is disposed.</summary>
    public static IDisposable Use(AuditActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var before = Ambient.Value;
        Ambient.Value = actor;
        return new Scope(before);
    }

    /// <summary>A background job, named in Chinese for the audit page.</summary>
    public static AuditActor Job(string id, string name) => new("system:" + id, name);

    private sealed class Scope(AuditActor? before) : IDisposable
    {
        public void Dispose() => Ambient.Value = before;
    }
}
