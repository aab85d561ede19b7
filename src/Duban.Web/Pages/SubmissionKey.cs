using Duban.Data;

namespace Duban.Web.Pages;

/// <summary>
/// The hidden field every page form that creates something carries (drawn by <c>Shared/_SubmissionKey.cshtml</c>):
/// the same form sent twice is one submission (<see cref="FormSubmissions"/>).
/// </summary>
public static class SubmissionKey
{
    /// <summary>The form field's name.</summary>
    public const string Field = "submissionKey";

    /// <summary>The key the request's form carries, if any.</summary>
    public static string? Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HasFormContentType && request.Form[Field].ToString() is { Length: > 0 } key ? key : null;
    }

    /// <summary>The key to draw: the one just sent (a form drawn again after a refusal is still the same form, and
    /// its key was let go), else a new one.</summary>
    public static string ForForm(HttpRequest request) => Of(request) is { } key && FormSubmissions.IsKey(key) ? key : FormSubmissions.NewKey();
}
