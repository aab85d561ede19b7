using System.Security.Cryptography;
using System.Text;
using Duban.Matters;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A token as listed for the admin.</summary>
public sealed record ApiTokenView(long Id, string Name, string UnitCode, string UnitName, Role Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>API tokens for integrations (hotlines, apps, scripts): one unit, one role. The secret is shown once;
/// only its SHA-256 is kept, so a leaked database does not leak working tokens.</summary>
public sealed class ApiTokens(DubanDbContext db, TimeProvider clock, ApiTokenCache cache)
{
    private const string Prefix = "dbn_";

    /// <summary>Creates a token and returns its secret.</summary>
    /// <exception cref="ValidationFailedException">Unknown unit or role, or an empty name.</exception>
    public async Task<string> CreateAsync(string unitCode, string role, string name, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string[]>();
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode && u.Active, cancellationToken);
        if (unit is null)
        {
            errors["unit"] = [$"单位代码「{unitCode}」不存在或已停用。"];
        }

        if (!WireEnum.TryParse<Role>(role, out var parsedRole))
        {
            errors["role"] = ["角色必须是 admin、leader、supervisor、handler 或 cadre。"];
        }

        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
        {
            errors["name"] = ["名称必填，不超过 100 字。"];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', 'x').Replace('/', 'y');
        db.ApiTokens.Add(new ApiToken
        {
            Name = name.Trim(),
            UnitId = unit!.Id,
            Role = parsedRole,
            SecretHash = Hash(secret),
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>The actor behind a secret, or null when it is unknown or revoked.</summary>
    public async Task<Actor?> AuthenticateAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret) || !secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = Hash(secret);
        var now = clock.GetUtcNow();
        if (cache.Find(hash, now) is { } known)
        {
            return known;
        }

        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.SecretHash == hash && t.RevokedAt == null && t.Unit!.Active)
            .Select(t => new { t.Id, t.Name, t.UnitId, t.Role })
            .SingleOrDefaultAsync(cancellationToken);
        if (token is null)
        {
            return null; // unknown secrets are not cached: guessing must not fill memory
        }

        var actor = new Actor($"token:{token.Id}", token.Name, token.UnitId, new HashSet<Role> { token.Role });
        cache.Remember(hash, actor, now);
        return actor;
    }

    /// <summary>Every token, newest first: name, unit, role and whether it is revoked (never the secret).</summary>
    public async Task<IReadOnlyList<ApiTokenView>> ListAsync(CancellationToken cancellationToken = default) =>
        await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.Id)
            .Select(t => new ApiTokenView(t.Id, t.Name, t.Unit!.Code, t.Unit.Name, t.Role, t.CreatedAt, t.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Revokes a token; the next request with it gets 401. Revoking twice keeps the first instant.</summary>
    /// <exception cref="NotFoundException">No such token.</exception>
    public async Task RevokeAsync(long id, CancellationToken cancellationToken = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken)
            ?? throw new NotFoundException($"令牌 {id} 不存在。");
        token.RevokedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        cache.Forget($"token:{id}");
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

/// <summary>
/// The actors behind recently used API tokens, for <see cref="ApiTokenCache.Lifetime"/>: an integration posting
/// thousands of appeals a second would otherwise look its token up in the database on every request. A revocation on
/// this instance takes effect at once; one made elsewhere (another instance) within the lifetime.
/// </summary>
public sealed class ApiTokenCache
{
    /// <summary>How long a looked-up token is trusted without asking the database again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    /// <summary>More live tokens than this is not an integration but a leak or an attack: start again.</summary>
    private const int MaxEntries = 10_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Actor Actor, DateTimeOffset Until)> _byHash = new(StringComparer.Ordinal);

    internal Actor? Find(string hash, DateTimeOffset now) =>
        _byHash.TryGetValue(hash, out var entry) && entry.Until > now ? entry.Actor : null;

    internal void Remember(string hash, Actor actor, DateTimeOffset now)
    {
        if (_byHash.Count >= MaxEntries)
        {
            _byHash.Clear();
        }

        _byHash[hash] = (actor, now + Lifetime);
    }

    internal void Forget(string actorId)
    {
        foreach (var (hash, entry) in _byHash)
        {
            if (entry.Actor.Id == actorId)
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }
}
