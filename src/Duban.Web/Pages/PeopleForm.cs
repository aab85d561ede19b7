using System.Globalization;
using Duban.Data;
using Duban.Matters;

namespace Duban.Web.Pages;

/// <summary>One row of the people picker (责任人员): a role, and a user picked by id or 「其他人员」 with name, unit and phone.</summary>
public sealed class PersonRow
{
    public string Role { get; set; } = "responsible";

    /// <summary>A user id, "other" (其他人员) or empty (nobody).</summary>
    public string? User { get; set; }
    public string? Name { get; set; }
    public string? Unit { get; set; }
    public string? Phone { get; set; }

    /// <summary>The text typed in the row's search box: sent only without script (with it, the box fills the select).</summary>
    public string? Search { get; set; }

    /// <summary>
    /// The rows as the command takes them; rows left empty are dropped. A row sent with its box filled (no script)
    /// means the one person the text names (<see cref="PeopleCatalog.Snapshot.Resolve"/>): the row is changed to name
    /// them, or, when the text names none or several, the form is refused under <c>people</c> and the page lists what
    /// the text found.
    /// </summary>
    /// <exception cref="ValidationFailedException">A row's text names nobody or several people.</exception>
    public static List<PersonInput?> ToInput(IReadOnlyList<PersonRow> rows, PeopleCatalog.Snapshot people)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(people);
        var problems = new List<string>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (string.IsNullOrWhiteSpace(row.Search))
            {
                continue;
            }

            var (user, error, _) = people.Resolve(row.Search, ChosenId(row));
            if (user is null)
            {
                problems.Add($"第 {i + 1} 名人员：{error}");
                continue;
            }

            (row.User, row.Search) = (user.Id.ToString(CultureInfo.InvariantCulture), null);
        }

        return problems.Count > 0 ? throw new ValidationFailedException(new Dictionary<string, string[]> { ["people"] = [.. problems] }) : ToInput(rows);
    }

    /// <summary>The user a row names by id, if any.</summary>
    public static long? ChosenId(PersonRow row) =>
        long.TryParse(row?.User, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static List<PersonInput?> ToInput(IEnumerable<PersonRow> rows) =>
        rows.Select(r => long.TryParse(r.User, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new PersonInput { Role = r.Role, User = id, Phone = r.Phone }
                : string.IsNullOrWhiteSpace(r.Name) && string.IsNullOrWhiteSpace(r.Phone) && r.User != "other"
                    ? null
                    : new PersonInput { Role = r.Role, Name = r.Name, Unit = r.Unit, Phone = r.Phone })
            .Where(p => p is not null).ToList();

    /// <summary>Rows for a form: the people now named, then blank rows to add more.</summary>
    public static List<PersonRow> From(IEnumerable<PersonView> people, int blank) =>
    [
        .. people.Select(p => new PersonRow
        {
            Role = WireEnum.Name(p.Role),
            User = p.UserId?.ToString(CultureInfo.InvariantCulture) ?? "other",
            Name = p.UserId is null ? p.Name : null,
            Unit = p.UserId is null ? p.UnitName : null,
            Phone = p.Phone,
        }),
        .. Enumerable.Range(0, blank).Select(_ => new PersonRow { User = string.Empty }),
    ];
}

/// <summary>
/// What the people picker partial draws. Each row's person is picked without shipping every user: a search box and a
/// select of 不指定, the chosen user, the people offered before any typing, what the box found, and 其他人员;
/// <c>/js/picker.js</c> fills the select from <see cref="Source"/> as one types.
/// </summary>
/// <param name="Prefix">The rows' field prefix.</param>
/// <param name="Rows">The rows drawn.</param>
/// <param name="Offered">The people offered before any typing (the matter's or the chosen units' people).</param>
/// <param name="OfferCaseLeader">Whether 包案领导 is offered (petitions; the assign form hides it by script for other kinds).</param>
/// <param name="Units">A CSS selector of the unit fields (the assign forms' lead and co-units) whose checked ones' people
/// alone are offered: sent with every search, and a change of them asks again; null to search everyone.</param>
public sealed record PeoplePicker(string Prefix, IReadOnlyList<PersonRow> Rows, IReadOnlyList<PickableUser> Offered, bool OfferCaseLeader,
    string? Units = null)
{
    /// <summary>The address the script asks for the people a text finds.</summary>
    public const string Source = "/users/options";

    /// <summary>The lead and co-unit fields of the assign and new item forms.</summary>
    public const string UnitFields = "input[name=\"Form.LeadUnit\"], input[name=\"Form.CoUnits\"]";
}

/// <summary>The options of people for a select (<c>_PersonOptions</c>): each user with their unit, and the chosen id.</summary>
public sealed record PersonOptions(IReadOnlyList<PickableUser> People, long? Selected);
