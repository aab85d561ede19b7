using System.ComponentModel.DataAnnotations;
using Duban.Data;
using Duban.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

public sealed class LoginModel(PasswordSignIn signIn, DubanDbContext db) : PageModel
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

        // No lock anyone could trigger: failures slow further attempts down (per user name and per address), and
        // every failure, a throttled attempt included, gets the same message.
        var (outcome, _) = await signIn.TryAsync(HttpContext, UserName, Password, cancellationToken);
        if (outcome == SignInOutcome.SignedIn)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }

        ModelState.AddModelError(string.Empty, PasswordSignIn.Refusal);
        Demo = await DemoOrganisation.IsInUseAsync(db, cancellationToken);
        return Page();
    }
}
