using Duban.Attachments;

namespace Duban.Web.Pages;

/// <summary>The files of a page's form: ASP.NET has already spooled the parts to temporary files (bounded memory); each
/// chosen file is counted against the limits and stored like an API upload.</summary>
public static class PageUploads
{
    /// <summary>Stores the chosen files (an empty file field sends one nameless part, which is skipped).</summary>
    /// <param name="files">The form's file parts.</param>
    /// <param name="limits">How many and how large.</param>
    /// <param name="store">Stores one file (the owner's StoreAsync).</param>
    /// <param name="required">Whether choosing no file is refused (an upload form) or fine (files beside other fields).</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <exception cref="AttachmentRefusedException">Too many, too large, empty or of a type that is not allowed.</exception>
    public static async Task<IReadOnlyList<AttachedFile>> StoreAsync(IEnumerable<IFormFile>? files, AttachmentLimits limits,
        Func<Stream, string, Task<AttachedFile>> store, bool required, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(store);
        var chosen = (files ?? []).Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        if (required || chosen.Count > 0)
        {
            limits.CheckCount(chosen.Count);
        }

        var stored = new List<AttachedFile>();
        foreach (var file in chosen)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var content = file.OpenReadStream();
            stored.Add(await store(content, file.FileName));
        }

        return stored;
    }
}
