namespace Duban.Matters;

/// <summary>A rule of the domain refused the request; the edges map each kind to an HTTP status.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>The input is invalid; <see cref="Errors"/> holds messages per field (400).</summary>
public sealed class ValidationFailedException(IReadOnlyDictionary<string, string[]> errors)
    : DomainException("输入有误")
{
    /// <summary>Messages by field name, as the API spells the fields.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>One field, one message.</summary>
    public static ValidationFailedException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The actor may not do this (403).</summary>
public sealed class ForbiddenException(string message) : DomainException(message);

/// <summary>Nothing with that id, or nothing the actor may see (404).</summary>
public sealed class NotFoundException(string message) : DomainException(message);

/// <summary>The action does not fit the matter's status (409); says the status and what is allowed.</summary>
public sealed class InvalidTransitionException(MatterAction action, MatterStatus status, IReadOnlyList<MatterAction> allowed)
    : DomainException($"事项当前状态为「{Labels.Of(status)}」，不能{Labels.Of(action)}。"
        + (allowed.Count == 0 ? "当前没有可执行的操作。" : $"当前可执行：{string.Join("、", allowed.Select(Labels.Of))}。"))
{
    /// <summary>The refused action.</summary>
    public MatterAction Action { get; } = action;

    /// <summary>The matter's status.</summary>
    public MatterStatus Status { get; } = status;

    /// <summary>The actions the actor may take now.</summary>
    public IReadOnlyList<MatterAction> Allowed { get; } = allowed;
}

/// <summary>Someone else changed the matter first (409): the client's version is stale.</summary>
public sealed class ConcurrencyConflictException(int expected, int actual)
    : DomainException($"事项已被他人修改（您的版本 {expected}，当前版本 {actual}），请刷新后重试。")
{
    /// <summary>The version the client had.</summary>
    public int Expected { get; } = expected;

    /// <summary>The current version.</summary>
    public int Actual { get; } = actual;

    /// <summary>The matter's status now, when known: the 409 tells the client where the matter stands.</summary>
    public MatterStatus? Status { get; init; }
}

/// <summary>A business rule refuses the request in the matter's present state (409), e.g. an extension asked for too late.</summary>
public sealed class RuleConflictException(string message) : DomainException(message);
