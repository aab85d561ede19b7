using System.Runtime.Intrinsics;

namespace Duban.Similarity;

/// <summary>
/// A MinHash signature: for each of <see cref="MinHash.Size"/> hash functions, the smallest hash (its low 16 bits: b-bit MinHash; unrelated minima collide once in 65,536) over
/// a text's shingles. The share of equal positions in two signatures estimates their Jaccard similarity (standard
/// error ≈ √(J(1−J)/64), 0.06 at J = 0.5), in 128 bytes.
/// </summary>
public sealed class MinHashSignature
{
    private readonly ushort[] values;

    internal MinHashSignature(ushort[] values) => this.values = values;

    /// <summary>The minimum per hash function.</summary>
    public ReadOnlySpan<ushort> Values => values;

    /// <summary>The signature as 128 bytes (little-endian), to store.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[values.Length * sizeof(ushort)];
        for (var i = 0; i < values.Length; i++)
        {
            bytes[2 * i] = unchecked((byte)values[i]);
            bytes[(2 * i) + 1] = (byte)(values[i] >> 8);
        }

        return bytes;
    }

    /// <summary>A stored signature back.</summary>
    /// <exception cref="FormatException">Not 128 bytes.</exception>
    public static MinHashSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != MinHash.Size * sizeof(ushort))
        {
            throw new FormatException($"A MinHash signature is {MinHash.Size * sizeof(ushort)} bytes, not {bytes.Length}.");
        }

        var values = new ushort[MinHash.Size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (ushort)(bytes[2 * i] | (bytes[(2 * i) + 1] << 8));
        }

        return new MinHashSignature(values);
    }
}

/// <summary>MinHash over shingle sets, with fixed seeds: the same text gives the same signature on every machine.</summary>
public static class MinHash
{
    /// <summary>Hash functions per signature.</summary>
    public const int Size = 64;

    private const int Lanes = 8; // Vector256<uint>
    private static readonly uint[] Multipliers = Seeds(0x9E3779B97F4A7C15UL, odd: true);
    private static readonly uint[] Offsets = Seeds(0xD1B54A32D192ED03UL, odd: false);

    /// <summary>The signature of a shingle set; null for the empty set, which is similar to nothing.</summary>
    public static MinHashSignature? Of(ShingleSet shingles)
    {
        ArgumentNullException.ThrowIfNull(shingles);
        if (shingles.Count == 0)
        {
            return null;
        }

        // h_i(x) = (a_i·mix(x) + b_i) mod 2³², 8 lanes at a time; the low 16 bits of each minimum are kept.
        Span<Vector256<uint>> minima = stackalloc Vector256<uint>[Size / Lanes];
        minima.Fill(Vector256<uint>.AllBitsSet);
        Span<Vector256<uint>> a = stackalloc Vector256<uint>[Size / Lanes];
        Span<Vector256<uint>> b = stackalloc Vector256<uint>[Size / Lanes];
        for (var v = 0; v < a.Length; v++)
        {
            a[v] = Vector256.Create(Multipliers.AsSpan(v * Lanes, Lanes));
            b[v] = Vector256.Create(Offsets.AsSpan(v * Lanes, Lanes));
        }

        foreach (var shingle in shingles.Hashes)
        {
            var x = Vector256.Create(Mix(shingle));
            for (var v = 0; v < minima.Length; v++)
            {
                minima[v] = Vector256.Min(minima[v], unchecked((a[v] * x) + b[v]));
            }
        }

        var values = new ushort[Size];
        for (var v = 0; v < minima.Length; v++)
        {
            for (var lane = 0; lane < Lanes; lane++)
            {
                values[(v * Lanes) + lane] = unchecked((ushort)minima[v][lane]);
            }
        }

        return new MinHashSignature(values);
    }

    /// <summary>The share of equal positions: an estimate of the Jaccard similarity, in [0, 1].</summary>
    public static double Estimate(MinHashSignature a, MinHashSignature b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return (double)Matches(a.Values, b.Values) / Size;
    }

    /// <summary>Equal positions of two signatures, 16 at a time.</summary>
    internal static int Matches(ReadOnlySpan<ushort> a, ReadOnlySpan<ushort> b)
    {
        var count = 0;
        for (var i = 0; i < Size; i += Vector256<ushort>.Count)
        {
            var equal = Vector256.Equals(Vector256.Create(a.Slice(i, Vector256<ushort>.Count)), Vector256.Create(b.Slice(i, Vector256<ushort>.Count)));
            count += System.Numerics.BitOperations.PopCount(equal.ExtractMostSignificantBits());
        }

        return count;
    }

    /// <summary>murmur3's finaliser: spreads the shingle hash before the multiply-shift.</summary>
    private static uint Mix(uint x)
    {
        unchecked
        {
            x ^= x >> 16;
            x *= 0x85EBCA6B;
            x ^= x >> 13;
            x *= 0xC2B2AE35;
            x ^= x >> 16;
            return x;
        }
    }

    private static uint[] Seeds(ulong state, bool odd)
    {
        var seeds = new uint[Size];
        for (var i = 0; i < Size; i++)
        {
            unchecked
            {
                // splitmix64: fixed, well-spread constants.
                state += 0x9E3779B97F4A7C15UL;
                var z = state;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                seeds[i] = (uint)((z ^ (z >> 31)) >> 32) | (odd ? 1u : 0u);
            }
        }

        return seeds;
    }
}
