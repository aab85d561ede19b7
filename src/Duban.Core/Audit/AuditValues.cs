using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Duban.Audit;

/// <summary>
/// Canonical text of a row's values, the same whichever engine stored them and read them back: properties in ordinal
/// order, instants in UTC to the microsecond (PostgreSQL keeps no more), decimals without trailing zeros, enums by
/// name. A row's hash is the SHA-256 of this text, so it can be recomputed from the stored row at any time.
/// </summary>
public static class AuditValues
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON object of the values, properties in ordinal order.</summary>
    public static string Json(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteJson(buffer, values);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteJson(ArrayBufferWriter<byte> buffer, IEnumerable<KeyValuePair<string, object?>> values)
    {
        using var json = new Utf8JsonWriter(buffer, Options);
        WriteObject(json, values);
    }

    private static void WriteObject(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        json.WriteStartObject();
        foreach (var (name, value) in InOrdinalOrder(values))
        {
            json.WritePropertyName(name);
            Write(json, value);
        }

        json.WriteEndObject();
        json.Flush();
    }

    /// <summary>The values by name in ordinal order; a list already in that order (the audit trail's rows, whose
    /// properties it keeps sorted) as it is, without a sort per row.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> InOrdinalOrder(IEnumerable<KeyValuePair<string, object?>> values)
    {
        if (values is IReadOnlyList<KeyValuePair<string, object?>> list)
        {
            var sorted = true;
            for (var i = 1; i < list.Count && sorted; i++)
            {
                sorted = string.CompareOrdinal(list[i - 1].Key, list[i].Key) < 0;
            }

            if (sorted)
            {
                return list;
            }
        }

        return values.OrderBy(v => v.Key, StringComparer.Ordinal);
    }

    /// <summary>A buffer and writer per thread for <see cref="RowHash"/>: a bulk write hashes hundreds of thousands of rows.</summary>
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? hashing;

    /// <summary>A JSON object of changed values, each as [before, after], properties in ordinal order.</summary>
    public static string ChangesJson(IEnumerable<(string Name, object? Before, object? After)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            foreach (var (name, before, after) in changes.OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                json.WritePropertyName(name);
                json.WriteStartArray();
                Write(json, before);
                Write(json, after);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>SHA-256 (lower-case hex) of the canonical JSON of a row's values.</summary>
    public static string RowHash(IEnumerable<KeyValuePair<string, object?>> values)
    {
        // The JSON's UTF-8 bytes hashed as written: the same bytes as Json's text encoded again, without the round trip.
        var (buffer, json) = hashing ??= (new ArrayBufferWriter<byte>(1024), new Utf8JsonWriter(Stream.Null, Options));
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        WriteObject(json, values);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return AuditChain.Hex(hash);
    }

    /// <summary>A value's canonical text, as it appears in the JSON (null for null).</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateTimeOffset o => AuditChain.Instant(o),
        DateTime d => new DateTime(d.Ticks - (d.Ticks % 10), DateTimeKind.Unspecified).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        TimeSpan t => t.Ticks.ToString(CultureInfo.InvariantCulture),
        decimal m => m.ToString("0.############################", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        float x => x.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case long or int or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); // the same digits as the invariant text
                break;
            case ulong number:
                json.WriteNumberValue(number);
                break;
            default:
                json.WriteStringValue(Text(value));
                break;
        }
    }
}
