using Duban.Matters;
using Duban.Web.Auth;

namespace Duban.Web.Pages.Assessment.Cards;

/// <summary>What the 通报, 红黄牌 and 约谈 pages share: whether the reader manages them (the office, administrators),
/// and refusals shown above the forms.</summary>
public abstract class CardsPageModel : FormPageModel
{
    /// <summary>Whether the forms of the office are shown (the commands check again).</summary>
    public bool CanManage { get; private set; }

    /// <summary>The reader, noting whether they manage.</summary>
    protected Actor Reader()
    {
        var actor = User.ToActor();
        CanManage = Data.Citations.MayManage(actor);
        return actor;
    }

    protected override bool ShowRefusal(DomainException error)
    {
        ModelState.AddModelError(string.Empty, error.Message);
        return true;
    }
}
