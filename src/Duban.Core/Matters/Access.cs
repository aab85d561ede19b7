namespace Duban.Matters;

/// <summary>Who is acting: a person or an API token, their unit and roles.</summary>
/// <param name="Id">A stable id such as <c>user:12</c> or <c>token:3</c>.</param>
/// <param name="Name">The display name.</param>
/// <param name="UnitId">The unit they act for.</param>
/// <param name="Roles">Their roles.</param>
public sealed record Actor(string Id, string Name, long UnitId, IReadOnlySet<Role> Roles)
{
    /// <summary>The reference stored in events.</summary>
    public ActorRef Ref => new(Id, Name, UnitId);

    /// <summary>Whether the actor holds a role.</summary>
    public bool Has(Role role) => Roles.Contains(role);
}

/// <summary>The unit tree as access rules need it; implemented by the data layer.</summary>
public interface IUnitTree
{
    /// <summary>Whether <paramref name="unitId"/> is <paramref name="ancestorId"/> or lies below it.</summary>
    bool IsWithin(long unitId, long ancestorId);

    /// <summary>The government a unit serves: a department's parent, or the unit itself.</summary>
    long GovernmentOf(long unitId);
}

/// <summary>
/// Who may see and do what. A handler works for its own unit; a leader for the subtree of their unit; a
/// supervisor (督查室, a department) for the whole government their office serves; an admin everywhere.
/// </summary>
public static class AccessRules
{
    /// <summary>The root of the subtree an actor oversees, or null when they oversee nothing beyond their unit.</summary>
    public static long? OversightRoot(Actor actor, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(tree);
        if (actor.Has(Role.Supervisor))
        {
            return tree.GovernmentOf(actor.UnitId);
        }

        return actor.Has(Role.Leader) ? actor.UnitId : null;
    }

    /// <summary>Whether the actor may assign matters at all.</summary>
    public static bool MayAssign(Actor actor) =>
        actor is not null && (actor.Has(Role.Admin) || actor.Has(Role.Supervisor) || actor.Has(Role.Leader));

    /// <summary>Whether the actor may receive an appeal (诉求受理) for their unit: any staff role. Receiving makes the
    /// unit the appeal's first receiver (首接), which owns it until a transfer.</summary>
    public static bool MayReceiveAppeals(Actor actor) => actor is not null && actor.Roles.Count > 0;

    /// <summary>Whether the actor may see an appeal's personal data unmasked: the handling (lead) unit, and the
    /// supervision office of a government that oversees the matter. Everyone else sees <c>138****1234</c>.</summary>
    public static bool MaySeePersonalData(Actor actor, MatterState matter, IUnitTree tree) =>
        actor is not null && matter is not null
        && ((actor.UnitId == matter.LeadUnitId && actor.Roles.Count > 0)
            || (actor.Has(Role.Supervisor) && CanSee(actor, matter, tree)));

    /// <summary>Whether the actor acts for the lead unit.</summary>
    public static bool IsLeadUnit(Actor actor, MatterState matter) =>
        actor is not null && matter is not null && actor.UnitId == matter.LeadUnitId
        && (actor.Has(Role.Handler) || actor.Has(Role.Leader) || actor.Has(Role.Supervisor));

    /// <summary>Whether the actor is on the assigning side: the assigner unit or someone who oversees it.</summary>
    public static bool IsAssigningSide(Actor actor, MatterState matter, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(matter);
        if (actor.Has(Role.Admin))
        {
            return true;
        }

        if (actor.UnitId == matter.AssignerUnitId && (actor.Has(Role.Supervisor) || actor.Has(Role.Leader)))
        {
            return true;
        }

        return OversightRoot(actor, tree) is { } root && tree.IsWithin(matter.AssignerUnitId, root);
    }

    /// <summary>Whether the actor may add attachments (上传附件): the lead unit, a co-handling unit (配合单位 send their
    /// part) and the assigning side; a reader who only oversees may look but not add.</summary>
    public static bool MayAttach(Actor actor, MatterState matter, IUnitTree tree) =>
        actor is not null && matter is not null
        && (IsLeadUnit(actor, matter) || IsAssigningSide(actor, matter, tree)
            || (matter.CoUnitIds.Contains(actor.UnitId) && (actor.Has(Role.Handler) || actor.Has(Role.Leader) || actor.Has(Role.Supervisor))));

    /// <summary>Whether the actor may see the matter.</summary>
    public static bool CanSee(Actor actor, MatterState matter, IUnitTree tree)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(matter);
        if (actor.Has(Role.Admin) || actor.UnitId == matter.LeadUnitId || actor.UnitId == matter.AssignerUnitId
            || matter.CoUnitIds.Contains(actor.UnitId))
        {
            return true;
        }

        return OversightRoot(actor, tree) is { } root
            && (tree.IsWithin(matter.LeadUnitId, root) || tree.IsWithin(matter.AssignerUnitId, root));
    }
}
