using System.ComponentModel.DataAnnotations;
using Duban.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

public sealed class LoginModel(SignInManager<User> signIn, DubanDbContext db) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "请输入用户名。")]
    public string UserName { get; set; } = string.Empty;

    [BindProperty]
    [Required(ErrorMessage = "请输入密码。")]
    public string Password { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set by the cookie handler when a session ran out.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Expired { get; set; }

    /// <summary>On the demo database only: the demo sign-ins (passwords were printed on the console).</summary>
    public bool Demo { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Demo = await DemoOrganisation.IsInUseAsync(db, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Expired = null;
        if (!ModelState.IsValid)
        {
            Demo = await DemoOrganisation.IsInUseAsync(db, cancellationToken);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(UserName, Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        ModelState.AddModelError(string.Empty, result.IsLockedOut
            ? "登录失败次数过多，账号已锁定 15 分钟；如需提前解锁，请联系管理员。"
            : "用户名或密码错误。");
        Demo = await DemoOrganisation.IsInUseAsync(db, cancellationToken);
        return Page();
    }
}
