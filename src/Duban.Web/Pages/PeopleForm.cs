using System.Globalization;
using Duban.Data;

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

    /// <summary>The rows as the command takes them; rows left empty are dropped.</summary>
    public static List<PersonInput?> ToInput(IEnumerable<PersonRow> rows) =>
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

/// <summary>What the people picker partial draws: the rows' field prefix, the rows, the users to pick from, and whether 包案领导 is offered (petitions; the assign form hides it by script for other kinds).</summary>
public sealed record PeoplePicker(string Prefix, IReadOnlyList<PersonRow> Rows, IReadOnlyList<PickableUser> Users, bool OfferCaseLeader);
