using Duban.Matters;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data;

/// <summary>A person as listed for the admin.</summary>
public sealed record UserView(string UserName, string DisplayName, string UnitCode, string UnitName, IReadOnlyList<string> Roles, bool Locked);

/// <summary>People's accounts, through ASP.NET Core Identity (hashed passwords, lockout).</summary>
public sealed class UserAccounts(DubanDbContext db, UserManager<User> users, RoleManager<IdentityRole<long>> roles, PeopleCatalog? pickable = null)
{
    /// <summary>A new random password the policy accepts (10 or more characters, a digit among them): <c>Duban-</c>, the
    /// random bytes in hex, and a random digit last. Hex alone is all letters once in ~18,000 draws of five bytes, and
    /// the policy refused it: the demo organisation's start failed so in a test run.</summary>
    public static string NewPassword(int randomBytes) =>
        "Duban-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(randomBytes))
        + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates a person in a unit with roles and a password, and an email address for notifications.</summary>
    /// <exception cref="ValidationFailedException">A field is invalid or the password too weak.</exception>
    public async Task<User> CreateAsync(string userName, string displayName, string unitCode, IReadOnlyList<Role> userRoles,
        string password, string? email = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userRoles);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Code == unitCode && u.Active, cancellationToken)
            ?? throw ValidationFailedException.For("unit", $"单位代码「{unitCode}」不存在或已停用。");
        var address = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (address is not null && !System.Net.Mail.MailAddress.TryCreate(address, out _))
        {
            throw ValidationFailedException.For("email", $"「{address}」不是有效的邮件地址。");
        }

        var user = new User { UserName = userName, DisplayName = displayName, UnitId = unit.Id, Email = address };
        Check(await users.CreateAsync(user, password));
        foreach (var role in userRoles)
        {
            var name = WireEnum.Name(role);
            if (!await roles.RoleExistsAsync(name))
            {
                Check(await roles.CreateAsync(new IdentityRole<long>(name)));
            }

            Check(await users.AddToRoleAsync(user, name));
        }

        pickable?.Invalidate(); // the pickers offer them at once
        return user;
    }

    /// <summary>An administrator's reset: sets a new password and lifts any lockout.</summary>
    /// <exception cref="NotFoundException">No such user.</exception>
    /// <exception cref="ValidationFailedException">The password is too weak.</exception>
    public async Task ResetPasswordAsync(string userName, string password)
    {
        var user = await FindAsync(userName);
        // Validate first, then replace the hash in one update: a weak password never leaves the account without one.
        foreach (var validator in users.PasswordValidators)
        {
            Check(await validator.ValidateAsync(users, user, password));
        }

        user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        Check(await users.UpdateSecurityStampAsync(user)); // signs the person out everywhere; saves the user
    }

    /// <summary>The person of a user name; a form posted without one is refused, not a crash.</summary>
    private async Task<User> FindAsync(string? userName) =>
        string.IsNullOrWhiteSpace(userName)
            ? throw ValidationFailedException.For("userName", "请选择要操作的人员。")
            : await users.FindByNameAsync(userName) ?? throw new NotFoundException($"用户「{userName}」不存在。");

    /// <summary>Every person with unit and roles, by user name.</summary>
    public async Task<IReadOnlyList<UserView>> ListAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var rows = await db.Users.AsNoTracking().Include(u => u.Unit).OrderBy(u => u.UserName).Take(5000).ToListAsync(cancellationToken);
        var roleNames = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var byUser = roleNames.ToLookup(x => x.UserId, x => x.Name!);
        return rows.Select(u => new UserView(u.UserName!, u.DisplayName, u.Unit!.Code, u.Unit.Name, [.. byUser[u.Id].Order(StringComparer.Ordinal)],
            u.LockoutEnd is { } end && end > now)).ToList();
    }

    /// <summary>Locks a person out until unlocked (and ends their sessions), or lifts a lock.</summary>
    /// <exception cref="NotFoundException">No such user.</exception>
    public async Task SetLockedAsync(string userName, bool locked)
    {
        var user = await FindAsync(userName);
        user.LockoutEnabled = true;
        user.LockoutEnd = locked ? DateTimeOffset.MaxValue : null;
        user.AccessFailedCount = 0;
        Check(await users.UpdateSecurityStampAsync(user)); // saves the user; a locked person's cookie stops working
    }

    /// <summary>Moves a person to another unit and gives them other roles (one or more). Their sessions end, so the next
    /// sign-in carries what they may now see and do.</summary>
    /// <exception cref="NotFoundException">No such user.</exception>
    /// <exception cref="ValidationFailedException">An unknown or inactive unit, or no role.</exception>
    public async Task ChangeAsync(string userName, string unitCode, IReadOnlyList<Role> userRoles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userRoles);
        var user = await FindAsync(userName);
        var unit = await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Code == unitCode && u.Active, cancellationToken)
            ?? throw ValidationFailedException.For("unit", $"单位「{unitCode}」不存在或已停用。");
        if (userRoles.Count == 0)
        {
            throw ValidationFailedException.For("role", "请至少选择一个角色。");
        }

        var wanted = userRoles.Select(WireEnum.Name).ToHashSet(StringComparer.Ordinal);
        var held = await users.GetRolesAsync(user);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        foreach (var name in wanted.Except(held))
        {
            if (!await roles.RoleExistsAsync(name))
            {
                Check(await roles.CreateAsync(new IdentityRole<long>(name)));
            }
        }

        Check(await users.RemoveFromRolesAsync(user, held.Except(wanted).ToList()));
        Check(await users.AddToRolesAsync(user, wanted.Except(held).ToList()));
        user.UnitId = unit.Id;
        Check(await users.UpdateSecurityStampAsync(user)); // saves the user; their cookies stop working
        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        pickable?.Invalidate(); // under their new unit at once
    }

    /// <summary>The actor for a signed-in person.</summary>
    public async Task<Actor> ActorOfAsync(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var names = await users.GetRolesAsync(user);
        var parsed = names.Select(n => WireEnum.TryParse<Role>(n, out var r) ? r : (Role?)null).OfType<Role>().ToHashSet();
        return new Actor($"user:{user.Id}", user.DisplayName, user.UnitId, parsed);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new ValidationFailedException(result.Errors.GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : "userName")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }
    }
}
