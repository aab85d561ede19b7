using Duban.Appeals;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Web.Pages.Admin;

/// <summary>分派规则: the routing rules (add, edit, disable, delete), a dry run (试算) that shows the matching rule beside
/// the learned suggestion, and the learned model's status with a retrain button.</summary>
public sealed class TriageModel(RoutingRules rules, MatterTriage router, Jobs.TriageTraining training, UnitDirectory directory, TimeProvider clock) : FormPageModel
{
    /// <summary>The form whose fields a refusal's messages go beside: <c>Rule</c> or <c>Trial</c>.</summary>
    private string _form = nameof(Rule);

    /// <summary>The rule form; empty fields are kept as "" so that editing can clear them.</summary>
    public sealed class RuleForm
    {
        public string? Name { get; set; }
        public int? Priority { get; set; }
        public string? Category { get; set; }
        public string? Region { get; set; }
        public string? Keywords { get; set; }
        public string? EnterpriseCode { get; set; }
        public string? LeadUnit { get; set; }
    }

    /// <summary>The 试算 box.</summary>
    public sealed class TrialForm
    {
        public string? Title { get; set; }
        public string? Content { get; set; }
        public string? Category { get; set; }
        public string? Region { get; set; }
    }

    public IReadOnlyList<RoutingRuleView> Rules { get; private set; } = [];
    public TriageModelStatus? Status { get; private set; }

    /// <summary>The rule being edited (from <c>?edit=ID</c>), or null when adding.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Edit { get; set; }

    [BindProperty]
    public RuleForm Rule { get; set; } = new();

    [BindProperty]
    public TrialForm Trial { get; set; } = new();

    public TriageTrial? TrialRule { get; private set; }
    public TriageSuggestion? TrialSuggestion { get; private set; }
    /// <summary>The training running in this process, or how the last one ended.</summary>
    public Jobs.TriageTrainingState Training { get; private set; } = Jobs.TriageTrainingState.Idle;

    /// <summary>Seconds since the running training started.</summary>
    public int TrainingSeconds => Training.StartedAt is { } start ? (int)(clock.GetUtcNow() - start).TotalSeconds : 0;

    public IReadOnlyList<string> Categories => AppealCategories.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Edit is { } id)
        {
            var rule = await rules.GetAsync(id, cancellationToken);
            Rule = new RuleForm
            {
                Name = rule.Name, Priority = rule.Priority, Category = rule.Category, Region = rule.Region?.Code,
                Keywords = string.Join("，", rule.Keywords), EnterpriseCode = rule.EnterpriseCode, LeadUnit = rule.LeadUnit.Code,
            };
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>Adds a rule, or saves the one being edited.</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var input = new RoutingRuleInput
        {
            Name = Rule.Name ?? "", Priority = Rule.Priority ?? 0, Category = Rule.Category ?? "", Region = Rule.Region ?? "",
            Keywords = Rule.Keywords ?? "", EnterpriseCode = Rule.EnterpriseCode ?? "", LeadUnit = Rule.LeadUnit ?? "",
        };
        if (Edit is { } id)
        {
            await rules.UpdateAsync(id, input, cancellationToken);
        }
        else
        {
            await rules.CreateAsync(input, cancellationToken);
        }

        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostActiveAsync(long id, bool active, CancellationToken cancellationToken)
    {
        await rules.UpdateAsync(id, new RoutingRuleInput { Active = active }, cancellationToken);
        return RedirectToPage();
    }

    /// <summary>删除: a rule that already routed appeals is disabled instead (the service decides).</summary>
    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        await rules.DeleteAsync(id, cancellationToken);
        return RedirectToPage();
    }

    /// <summary>试算: which rule matches and what the learned router suggests, side by side.</summary>
    public async Task<IActionResult> OnPostTrialAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Trial.Title) && string.IsNullOrWhiteSpace(Trial.Content))
        {
            ModelState.AddModelError("Trial.Content", "请填写诉求标题或内容。");
        }
        else
        {
            _form = nameof(Trial);
            TrialRule = await rules.TryAsync(
                new AppealInput { Title = Trial.Title, Content = Trial.Content, Category = Trial.Category, Region = Trial.Region }, cancellationToken);
            TrialSuggestion = await router.SuggestAsync(Trial.Title + "\n" + Trial.Content, cancellationToken);
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    /// <summary>重新训练 on the closed matters, in the background (tens of seconds at 100,000 examples): the page then
    /// shows its progress. A training already running is joined, not doubled.</summary>
    public IActionResult OnPostRetrain()
    {
        _ = training.StartOrJoin();
        return RedirectToPage(null, null, "model");
    }

    /// <summary>The running training's progress for the page's poll.</summary>
    public IActionResult OnGetTraining()
    {
        Training = training.State;
        var progress = Training.Progress;
        return new JsonResult(new
        {
            running = Training.Running,
            phase = progress is null ? null : PhaseName(progress.Phase),
            done = progress?.Done ?? 0,
            total = progress?.Total ?? 0,
            seconds = TrainingSeconds,
        });
    }

    /// <summary>A phase in the page's words.</summary>
    public static string PhaseName(RetrainPhase phase) => phase switch
    {
        RetrainPhase.Reading => "读取已办结事项",
        RetrainPhase.Training => "训练",
        RetrainPhase.Saving => "保存模型",
    };

    protected override string FieldKey(string field) => PropertyKey(_form, field);

    /// <summary>A rule name already taken, beside the name.</summary>
    protected override bool ShowRefusal(DomainException error)
    {
        if (error is RuleConflictException)
        {
            ModelState.AddModelError("Rule.Name", error.Message);
        }

        return error is RuleConflictException;
    }

    protected override Task ReloadAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>Every refused form of this page answers 400, the taken name too.</summary>
    protected override int StatusOf(DomainException error) => StatusCodes.Status400BadRequest;

    /// <summary>Units to choose a region or a handling unit from, by name.</summary>
    public IReadOnlyList<UnitView> Units { get; private set; } = [];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Units = (await directory.ListAsync(cancellationToken)).Where(u => u.Active).ToList();
        Rules = await rules.ListAsync(cancellationToken);
        Status = await router.StatusAsync(cancellationToken);
        Training = training.State;
    }
}
