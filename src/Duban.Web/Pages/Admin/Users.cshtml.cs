using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>用户与角色: create people, reset passwords, lock and unlock (admin only, by the folder's policy).</summary>
public sealed class UsersModel(UserAccounts accounts, UnitDirectory directory, TimeProvider clock) : FormPageModel
{
    /// <summary>The person whose password reset was refused: its messages go beside that row.</summary>
    private string? _resetting;

    /// <summary>The person whose change was refused: its messages go in that row's form.</summary>
    private string? _changing;

    public IReadOnlyList<UserView> People { get; private set; } = [];

    [BindProperty]
    public NewUser Input { get; set; } = new();

    public Task OnGetAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (!WireEnum.TryParse<Role>(Input.Role, out var role))
        {
            ModelState.AddModelError("Input.Role", "请选择角色。");
        }

        if (string.IsNullOrWhiteSpace(Input.DisplayName))
        {
            ModelState.AddModelError("Input.DisplayName", "请填写姓名。");
        }

        if (ModelState.ErrorCount > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await ReloadAsync(cancellationToken);
            return Page();
        }

        await accounts.CreateAsync(Input.UserName?.Trim() ?? "", Input.DisplayName!.Trim(), Input.Unit?.Trim() ?? "", [role],
            Input.Password ?? "", Input.Email, cancellationToken);
        return Finish($"已创建用户 {Input.UserName}。");
    }

    public async Task<IActionResult> OnPostResetAsync(string userName, string? password)
    {
        _resetting = userName;
        await accounts.ResetPasswordAsync(userName, password ?? "");
        return Finish($"已重置 {userName} 的密码并解除锁定。");
    }

    /// <summary>修改单位和角色.</summary>
    public async Task<IActionResult> OnPostChangeAsync(string userName, string? unit, string? role, CancellationToken cancellationToken)
    {
        _changing = userName;
        if (!WireEnum.TryParse<Role>(role, out var parsed))
        {
            throw ValidationFailedException.For("role", "请选择角色。");
        }

        await accounts.ChangeAsync(userName, unit ?? "", [parsed], cancellationToken);
        return Finish($"已修改 {userName} 的单位和角色；其重新登录后生效。");
    }

    public async Task<IActionResult> OnPostLockAsync(string userName, bool locked)
    {
        await accounts.SetLockedAsync(userName, locked);
        return Finish(locked ? $"已锁定 {userName}。" : $"已解锁 {userName}。");
    }

    protected override string FieldKey(string field) => PropertyKey(nameof(Input), field);

    /// <summary>A refused reset: all its messages beside that person's row.</summary>
    protected override void ShowInvalid(ValidationFailedException error)
    {
        if (_changing is not null)
        {
            ModelState.AddModelError($"change-{_changing}", string.Join(" ", error.Errors.Values.SelectMany(v => v)));
            return;
        }

        if (_resetting is null)
        {
            base.ShowInvalid(error);
            return;
        }

        ModelState.AddModelError($"reset-{_resetting}", string.Join(" ", error.Errors.Values.SelectMany(v => v)));
    }

    /// <summary>The units a person can belong to, by name.</summary>
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    protected override async Task ReloadAsync(CancellationToken cancellationToken)
    {
        People = await accounts.ListAsync(clock.GetUtcNow(), cancellationToken);
        Units = (await directory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
    }

    private RedirectToPageResult Finish(string message)
    {
        TempData["done"] = message;
        return RedirectToPage();
    }

    public sealed class NewUser
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string? Unit { get; set; }
        public string? Role { get; set; }
        public string? Password { get; set; }
        public string? Email { get; set; }
    }
}
