namespace Duban.Data;

/// <summary>A trained router (智能分流模型) in the model file format of <see cref="Duban.Triage.TriageModel"/>.
/// Stored in the database so that every instance suggests with the same model.</summary>
public sealed class TriageModelRecord
{
    public long Id { get; set; }
    public DateTimeOffset TrainedAt { get; set; }

    /// <summary>How many closed matters it was trained on.</summary>
    public int Examples { get; set; }

    /// <summary>How many units it can suggest.</summary>
    public int Units { get; set; }

    public required byte[] Model { get; set; }
}
