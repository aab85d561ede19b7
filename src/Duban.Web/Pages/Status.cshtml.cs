using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Duban.Web.Pages;

/// <summary>The page shown for an error status. It answers re-executed POSTs too, so no antiforgery check here
/// (a refused form must still get its explanation).</summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public (string Title, string Text) Describe(int code) => code switch
    {
        403 => ("无权访问", "您的角色不能使用此页面或执行此操作。如需权限，请联系系统管理员。"),
        404 => ("页面不存在", "页面不存在，或您所在单位无权查看该事项。"),
        400 => ("请求有误", "提交的内容有误或页面已过期，请返回刷新后重试。"),
        413 => ("文件过大", "上传的文件超过大小限制。"),
        _ => ("出错了", "请求未能完成，请稍后重试。"),
    };
}
