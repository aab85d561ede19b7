using Duban.Data;
using Duban.Data.Access;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Admin;

/// <summary>用户与角色: create people, reset passwords, lock and unlock (admin only, by the folder's policy).</summary>
public sealed class UsersModel(UserAccounts accounts, TimeProvider clock) : PageModel
{
    public IReadOnlyList<UserView> People { get; private set; } = [];

    [BindProperty]
    public NewUser Input { get; set; } = new();

    public string? Done { get; private set; }

    public async Task OnGetAsync() => People = await accounts.ListAsync(clock.GetUtcNow());

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

        if (ModelState.ErrorCount == 0)
        {
            try
            {
                await accounts.CreateAsync(Input.UserName?.Trim() ?? "", Input.DisplayName!.Trim(), Input.Unit?.Trim() ?? "", [role],
                    Input.Password ?? "", Input.Email, cancellationToken);
                return Finish($"已创建用户 {Input.UserName}。");
            }
            catch (ValidationFailedException ex)
            {
                foreach (var (field, messages) in ex.Errors)
                {
                    ModelState.AddModelError("Input." + char.ToUpperInvariant(field[0]) + field[1..], string.Join(" ", messages));
                }
            }
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        People = await accounts.ListAsync(clock.GetUtcNow(), cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string userName, string? password)
    {
        try
        {
            await accounts.ResetPasswordAsync(userName, password ?? "");
            return Finish($"已重置 {userName} 的密码并解除锁定。");
        }
        catch (ValidationFailedException ex)
        {
            ModelState.AddModelError($"reset-{userName}", string.Join(" ", ex.Errors.Values.SelectMany(v => v)));
        }

        Response.StatusCode = StatusCodes.Status400BadRequest;
        People = await accounts.ListAsync(clock.GetUtcNow());
        return Page();
    }

    public async Task<IActionResult> OnPostLockAsync(string userName, bool locked)
    {
        await accounts.SetLockedAsync(userName, locked);
        return Finish(locked ? $"已锁定 {userName}。" : $"已解锁 {userName}。");
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
