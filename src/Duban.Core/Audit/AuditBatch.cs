using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Duban.Audit;

/// <summary>
/// One audit record for many rows written in one statement (批量记录): instead of a record per row, the record names
/// the table, each row's key and the hash of each row's whole content (<see cref="AuditValues.RowHash"/>), and its
/// <see cref="AuditEntry.RowHash"/> is the digest of those hashes in order. The record is linked into the chain like
/// any other, so a row's hash is as fixed by its batch record as by a record of its own, and a tampered row is named
/// by key. What it leaves out is the rows' values, which the rows themselves hold: a tenth of the size or less.
/// </summary>
public static class AuditBatch
{
    /// <summary>The actions of batch records.</summary>
    public const string Insert = "insert-rows", Update = "update-rows";

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True for a batch record's action.</summary>
    public static bool Is(string action) => action is Insert or Update;

    /// <summary>The record's content: <c>{"columns":[…],"keys":[…],"hashes":[…]}</c> (columns only for an update: the
    /// ones set), and the digest of the row hashes for the record's <see cref="AuditEntry.RowHash"/>.</summary>
    public static (string Changes, string Digest) Describe(IReadOnlyList<string> keys, IReadOnlyList<string> rowHashes, IReadOnlyList<string>? columns)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(rowHashes);
        if (keys.Count != rowHashes.Count)
        {
            throw new ArgumentException("One hash per key.", nameof(rowHashes));
        }

        using var buffer = new MemoryStream(keys.Count * 80);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            if (columns is not null)
            {
                json.WriteStartArray("columns");
                foreach (var column in columns.Order(StringComparer.Ordinal))
                {
                    json.WriteStringValue(column);
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("keys");
            foreach (var key in keys)
            {
                json.WriteStringValue(key);
            }

            json.WriteEndArray();
            json.WriteStartArray("hashes");
            foreach (var hash in rowHashes)
            {
                json.WriteStringValue(hash);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), Digest(rowHashes));
    }

    /// <summary>SHA-256 (lower-case hex) over the row hashes in order, each followed by a line feed.</summary>
    public static string Digest(IEnumerable<string> rowHashes)
    {
        ArgumentNullException.ThrowIfNull(rowHashes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var hash in rowHashes)
        {
            sha.AppendData(Encoding.ASCII.GetBytes(hash + "\n"));
        }

        return AuditChain.Hex(sha.GetHashAndReset());
    }

    /// <summary>The rows a batch record names, key and content hash; null when its content is not a batch's (the
    /// record was tampered with, which the chain shows too) or does not match its digest.</summary>
    public static IReadOnlyList<(string Key, string RowHash)>? Rows(string changes, string? digest)
    {
        try
        {
            using var document = JsonDocument.Parse(changes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || !root.TryGetProperty("hashes", out var hashes)
                || keys.ValueKind != JsonValueKind.Array || hashes.ValueKind != JsonValueKind.Array || keys.GetArrayLength() != hashes.GetArrayLength())
            {
                return null;
            }

            var rows = keys.EnumerateArray().Zip(hashes.EnumerateArray(), (k, h) => (k.GetString() ?? "", h.GetString() ?? "")).ToList();
            return string.Equals(Digest(rows.Select(r => r.Item2)), digest, StringComparison.Ordinal) ? rows : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
