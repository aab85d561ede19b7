using Duban.Data;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages.People;

/// <summary>A person's page: what they are named on (责任领导、责任人、联络员、包案领导), with status and overdue marks.</summary>
public sealed class PersonModel(PersonQueries people) : PageModel
{
    public PersonPage? Person { get; private set; }

    public async Task OnGetAsync(string key, CancellationToken cancellationToken) =>
        Person = await people.GetAsync(key, User.ToActor(), cancellationToken);
}
