using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Duban.Tests.Hostile;

/// <summary>
/// One line of <c>Hostile/corpus.tsv</c>: <c>expect who method url type body kind</c>, tab-separated.
/// <list type="bullet">
/// <item><c>expect</c>: <c>4xx</c> (refused with a 4xx), <c>ok</c> (anything but a 5xx: a row-level rejection or an
/// accepted, cleaned input), <c>400raw</c> (Kestrel's bare 400 before the app, for a NUL in the path), or an exact status.</item>
/// <item><c>who</c>: an API token (<c>sup</c>, <c>adm</c>, <c>town</c>, <c>dept</c>, <c>anon</c>) or a signed-in page
/// session with its antiforgery token (<c>page:sup</c>, <c>page:adm</c>, <c>page:town</c>; with <c>!</c> the session
/// sends no token of its own, for forged ones); <c>api</c> on a wildcard
/// line means both <c>sup</c> and <c>adm</c>.</item>
/// <item><c>url</c>: with <c>{matter}</c> (a live matter) and <c>{code}</c> (a tracking code); <c>*</c> is every API
/// endpoint taking a body (POST and PUT), its route values filled in.</item>
/// <item><c>type</c>: <c>json</c>, <c>text</c>, <c>form</c> (url-encoded), <c>none</c>, <c>multipart:FIELD:FILENAME</c>
/// (the body as one file part), <c>raw-multipart</c> (the body is the whole multipart body), or a literal media type.</item>
/// <item><c>body</c>: <c>-</c> for none, <c>@generator</c> or <c>@generator(arg)</c> (<see cref="HostileFiles"/>), or
/// literal text sent as UTF-8.</item>
/// </list>
/// </summary>
public sealed partial record HostileCase(int Line, string Expect, string Who, string Method, string Url, string Type, string Body, string Kind)
{
    private static readonly ConcurrentDictionary<string, byte[]> Made = new(StringComparer.Ordinal);

    public static IReadOnlyList<HostileCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Hostile", "corpus.tsv");
        var cases = new List<HostileCase>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != 7)
            {
                throw new FormatException($"corpus.tsv line {number}: {f.Length} fields, 7 expected (expect who method url type body kind)");
            }

            cases.Add(new HostileCase(number, f[0], f[1], f[2], f[3], f[4], f[5], f[6]));
        }

        return cases;
    }

    /// <summary>The concrete requests of this line: one, or one per endpoint and token for a wildcard.</summary>
    public IEnumerable<(string Method, string Url, string Who)> Expand(IReadOnlyList<string> endpoints, CorpusContext context)
    {
        if (Url != "*")
        {
            yield return (Method, Fill(Url, context), Who);
            yield break;
        }

        foreach (var endpoint in endpoints)
        {
            var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
            if (endpoint[..space] is not ("POST" or "PUT") || endpoint[..space] != Method && Method != "*")
            {
                continue;
            }

            var url = RouteValue().Replace(endpoint[(space + 1)..], m => m.Groups[1].Value switch
            {
                "trackingCode" => "{code}",
                "action" => "feedback",
                "key" => "nobody",
                "date" => "2024-02-08",
                _ => "{matter}",
            });
            foreach (var who in Who == "api" ? ["sup", "adm"] : new[] { Who })
            {
                yield return (endpoint[..space], Fill(url, context), who);
            }
        }
    }

    private static string Fill(string url, CorpusContext context) => url
        .Replace("{matter}", context.Matter.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{code}", context.TrackingCode, StringComparison.Ordinal);

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteValue();

    /// <summary>The request's content; a page session's antiforgery token joins forms and multipart bodies.</summary>
    public HttpContent? Content(string? antiforgery)
    {
        var bytes = Bytes();
        switch (Type)
        {
            case "none":
                return null;
            case "json":
                return Typed(bytes, "application/json");
            case "text":
                return Typed(bytes, "text/plain");
            case "form":
                var form = Encoding.UTF8.GetString(bytes);
                if (antiforgery is not null)
                {
                    form += (form.Length > 0 ? "&" : "") + "__RequestVerificationToken=" + Uri.EscapeDataString(antiforgery);
                }

                return Typed(Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded");
            case "raw-multipart":
                var raw = new ByteArrayContent(bytes);
                raw.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={HostileFiles.Boundary}");
                return raw;
            default:
                if (Type.StartsWith("multipart:", StringComparison.Ordinal))
                {
                    var parts = Type.Split(':', 3);
                    var multipart = new MultipartFormDataContent();
                    var file = new ByteArrayContent(bytes);
                    file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    multipart.Add(file, parts[1], parts[2]);
                    if (antiforgery is not null)
                    {
                        multipart.Add(new StringContent(antiforgery), "__RequestVerificationToken");
                    }

                    return multipart;
                }

                var content = new ByteArrayContent(bytes);
                content.Headers.TryAddWithoutValidation("Content-Type", Type);
                return content;
        }
    }

    private static ByteArrayContent Typed(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private byte[] Bytes()
    {
        if (Body == "-")
        {
            return [];
        }

        if (Body.StartsWith('@'))
        {
            return Made.GetOrAdd(Body, key =>
            {
                var open = key.IndexOf('(', StringComparison.Ordinal);
                return open < 0 ? HostileFiles.Make(key[1..], null) : HostileFiles.Make(key[1..open], key[(open + 1)..^1]);
            });
        }

        return Encoding.UTF8.GetBytes(Body);
    }
}
