using Duban.Data;
using Duban.Matters;
using Duban.Text;
using Duban.TimeLimits;
using Duban.Web.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Assign;

/// <summary>One demand of the speech as a draft matter, completed with the 四明确 before it is assigned. A blank
/// field takes the shared default.</summary>
public sealed class DraftRow
{
    public bool Selected { get; set; }
    public string? Speaker { get; set; }
    public string? Title { get; set; }
    public string? Content { get; set; }
    public string? LeadUnit { get; set; }
    public List<string> CoUnits { get; set; } = [];
    public string? Goal { get; set; }
    public string? Standard { get; set; }
    public string? Profile { get; set; }
    public string? DueAt { get; set; }
}

/// <summary>从文稿交办: paste or upload a speech, extract its demands (任务分解) as draft matters, complete them with the
/// 四明确 and assign the selected ones in one go (all or none).</summary>
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes + 64 * 1024)]
[RequestSizeLimit(MaxUploadBytes + 4 * 1024 * 1024)]
public sealed class FromDocumentModel(UnitDirectory unitDirectory, AssignList batch, Rules rules, WeeklySessions weekly, FormSubmissions submissions,
    SimilarMatters similar) : FormPageModel
{
    /// <summary>2 MB: a speech is tens of KB; the limit keeps an upload's cost bounded.</summary>
    public const int MaxUploadBytes = 2 * 1024 * 1024;

    /// <summary>Longest pasted text, in characters.</summary>
    public const int MaxTextLength = 500_000;

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The document's title (文稿标题), recorded as the source of every matter.</summary>
    [BindProperty]
    public string? DocumentTitle { get; set; }

    [BindProperty]
    public string? DocumentDate { get; set; }

    [BindProperty]
    public List<DraftRow> Drafts { get; set; } = [];

    /// <summary>The shared default row (统一设置): fills every blank field of the selected drafts.</summary>
    [BindProperty]
    public DraftRow Defaults { get; set; } = new();

    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    public IReadOnlyList<TimeLimitProfile> Profiles => rules.Profiles;

    public string? Message { get; private set; }

    /// <summary>纳入周交办: the draft sessions the assigned matters may join (none: the picker is not shown).</summary>
    public IReadOnlyList<WeeklyDraft> WeeklyDrafts { get; private set; } = [];

    /// <summary>The chosen session, or null.</summary>
    [BindProperty(Name = "weekly")]
    public long? WeeklySession { get; set; }

    /// <summary>Open matters each selected draft (by its row) probably repeats: the page asks before assigning.</summary>
    public Dictionary<int, IReadOnlyList<SimilarMatterView>> Duplicates { get; } = [];

    /// <summary>仍然交办: the person saw the likely duplicates and goes on.</summary>
    [BindProperty(Name = "goOn")]
    public bool GoOn { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadListsAsync(cancellationToken);

    private async Task LoadListsAsync(CancellationToken cancellationToken)
    {
        Units = await unitDirectory.ListAsync(cancellationToken);
        WeeklyDrafts = await weekly.DraftsAsync(User.ToActor(), cancellationToken);
    }

    public async Task<IActionResult> OnPostExtractAsync(CancellationToken cancellationToken)
    {
        await LoadListsAsync(cancellationToken);
        var text = ReadDocument();
        ModelState.Clear(); // the drafts below are new; nothing typed before applies to them
        if (text is null)
        {
            ModelState.AddModelError(Upload is { Length: > 0 } ? nameof(Upload) : nameof(Text), Problem ?? "请粘贴文稿内容或上传 .txt 文件。");
            return Page();
        }

        Text = text;
        Drafts = [];
        foreach (var group in DirectiveExtractor.Extract(text))
        {
            foreach (var item in group.Items)
            {
                Drafts.Add(new DraftRow
                {
                    Selected = true,
                    Speaker = group.Speaker,
                    Title = item.Heading,
                    Content = item.Text, // an over-long one is reported beside the field by the 交办 checks
                });
            }
        }

        if (Drafts.Count == 0)
        {
            Message = "文稿中没有找到可分解的任务（如“一要……二要……”“第一，……”或“强调，要……”）。";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAssignAsync(CancellationToken cancellationToken)
    {
        await LoadListsAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(DocumentTitle))
        {
            ModelState.AddModelError(nameof(DocumentTitle), "请填写文稿标题，它将记为事项来源。");
        }

        if (!string.IsNullOrWhiteSpace(DocumentDate) && !Calendar.ChinaTime.TryParseDate(DocumentDate.Trim(), out _))
        {
            ModelState.AddModelError(nameof(DocumentDate), "日期格式为 2024-03-01。");
        }

        var selected = Drafts.Select((d, i) => (Row: d, Index: i)).Where(x => x.Row.Selected).ToList();
        if (selected.Count == 0)
        {
            ModelState.AddModelError(nameof(Drafts), "请至少勾选一项交办。");
        }

        if (ModelState.ErrorCount > 0)
        {
            return Page();
        }

        var source = $"来源文稿：《{DocumentTitle!.Trim()}》{(string.IsNullOrWhiteSpace(DocumentDate) ? "" : $"（{DocumentDate.Trim()}）")}";
        var inputs = selected.Select(x => ToNewMatter(x.Row, source)).ToList();
        var actor = User.ToActor();

        // The same form sent twice assigns once (a speech's four matters stay four); a draft that probably repeats an
        // open matter is shown first, and the batch goes only when the person goes on.
        var done = await submissions.OnceAsync(actor, SubmissionKey.Of(Request), async () =>
        {
            if (!GoOn)
            {
                foreach (var (row, index) in selected)
                {
                    if (await similar.OpenDuplicatesAsync(row.Title, row.Content, actor, 3, cancellationToken) is { Count: > 0 } found)
                    {
                        Duplicates[index] = found;
                    }
                }

                if (Duplicates.Count > 0)
                {
                    return null;
                }
            }

            await weekly.AssignIntoAsync(WeeklySession, () => batch.ExecuteAsync(inputs, actor, CancellationToken.None), actor, CancellationToken.None);
            return WeeklySession is { } session ? FormattableString.Invariant($"/Weekly/{session}") : "/";
        }, cancellationToken);
        if (done is null)
        {
            Message = $"有 {Duplicates.Count} 项可能与未办结的事项重复，见各项下方的提示；核对后可点“仍然交办”。";
            return Page();
        }

        TempData["done"] = done.Repeated ? "这份表单已经提交过，没有重复交办。" : $"已交办 {inputs.Count} 项事项。";
        return Redirect(done.Outcome);
    }

    /// <summary>A refused batch: each row's field errors beside that draft's fields (rows count the selected drafts),
    /// the summary above the drafts.</summary>
    protected override bool ShowRefusal(DomainException error)
    {
        if (error is ListValidationException batchErrors)
        {
            var selected = Drafts.Select((d, i) => (Row: d, Index: i)).Where(x => x.Row.Selected).ToList();
            foreach (var (row, fields) in batchErrors.Rows)
            {
                foreach (var (field, messages) in fields)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError($"Drafts[{selected[row].Index}].{FieldName(field)}", message);
                    }
                }
            }
        }

        Message = error.Message;
        return true;
    }

    /// <summary>Errors not of one row (the batch's own checks) in the summary above the drafts.</summary>
    protected override void ShowInvalid(ValidationFailedException error) =>
        Message = string.Join(" ", error.Errors.SelectMany(e => e.Value));

    /// <summary>A refused batch has always been drawn again with 200 (the messages are the answer).</summary>
    protected override int StatusOf(DomainException error) =>
        error is ValidationFailedException or ListValidationException ? StatusCodes.Status200OK : base.StatusOf(error);

    /// <summary>Why the document could not be read, when it could not.</summary>
    private string? Problem { get; set; }

    private string? ReadDocument()
    {
        if (Upload is { Length: > 0 } upload)
        {
            try
            {
                using var stream = upload.OpenReadStream();
                return UserText.Clean(TextDecoding.Decode(stream, MaxUploadBytes).Text);
            }
            catch (UnreadableTextException ex)
            {
                // Page-specific: an unreadable file is answered like an over-long paste, beside its field, and the
                // extraction step clears the form's old state first; it is no refused command.
                Problem = ex.Message;
                return null;
            }
        }

        if (Text is { Length: > MaxTextLength })
        {
            Problem = $"文稿不能超过 {MaxTextLength} 字。";
            return null;
        }

        return UserText.Clean(Text);
    }

    private NewMatter ToNewMatter(DraftRow row, string source) => new()
    {
        Title = row.Title,
        Content = row.Content,
        Kind = "assignment",
        Source = "meeting",
        Goal = Or(row.Goal, Defaults.Goal),
        Standard = Or(row.Standard, Defaults.Standard),
        LeadUnit = Or(row.LeadUnit, Defaults.LeadUnit),
        CoUnits = row.CoUnits.Count > 0 ? row.CoUnits : Defaults.CoUnits,
        Profile = Or(row.Profile, Defaults.Profile),
        DueAt = Or(row.DueAt, Defaults.DueAt),
        Note = row.Speaker is null ? source : $"{source}，{row.Speaker}讲话",
    };

    private static string? Or(string? value, string? fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;

    /// <summary>The API's field names (camelCase) as this form's property names.</summary>
    private static string FieldName(string field) => field switch
    {
        "title" => nameof(DraftRow.Title),
        "content" => nameof(DraftRow.Content),
        "goal" => nameof(DraftRow.Goal),
        "standard" => nameof(DraftRow.Standard),
        "leadUnit" => nameof(DraftRow.LeadUnit),
        "coUnits" => nameof(DraftRow.CoUnits),
        "profile" => nameof(DraftRow.Profile),
        "dueAt" => nameof(DraftRow.DueAt),
        _ => nameof(DraftRow.Title),
    };
}
