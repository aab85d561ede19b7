using System.ComponentModel.DataAnnotations;
using Duban.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.Account;

/// <summary>修改密码: the signed-in person changes their own password (the current one is required).</summary>
public sealed class PasswordModel(UserManager<User> users, SignInManager<User> signIn) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "请输入当前密码。")]
    public string Current { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "请输入新密码。")]
    public string New { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "请再次输入新密码。")]
    [Compare(nameof(New), ErrorMessage = "两次输入的新密码不一致。")]
    public string Confirm { get; set; } = string.Empty;

    public bool Done { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await users.ChangePasswordAsync(user, Current, New);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == nameof(IdentityErrorDescriber.PasswordMismatch) ? nameof(Current) : nameof(New), error.Description);
            }

            return Page();
        }

        await signIn.RefreshSignInAsync(user); // the security stamp changed; keep this session, end the others
        Done = true;
        return Page();
    }
}
