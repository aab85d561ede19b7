namespace Duban.Triage;

/// <summary>A feature vector as sorted feature indices and their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values);
