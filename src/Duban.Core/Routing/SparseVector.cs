namespace Duban.Routing;

/// <summary>A feature vector as sorted bucket indices and their values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values)
{
    /// <summary>The dot product with a dense weight row starting at <paramref name="offset"/>.</summary>
    public float Dot(float[] weights, int offset)
    {
        var sum = 0f;
        for (var i = 0; i < Indices.Length; i++)
        {
            sum += weights[offset + Indices[i]] * Values[i];
        }

        return sum;
    }
}
