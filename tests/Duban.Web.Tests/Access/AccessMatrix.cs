using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Matters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Access;

/// <summary>
/// The access matrix: every API endpoint and every page handler the running app exposes (read from its
/// <see cref="EndpointDataSource"/> and the compiled pages' handler methods) × every role (signed out, admin,
/// supervisor, leader, handler, cadre) × where the target lies (own unit, a sibling unit, the parent unit; once for
/// routes without a target), each cell's expected answer in <c>access-matrix.txt</c>. A route the table does not
/// name fails the test ("no expectation for …"); so does a row for a route that no longer exists.
/// </summary>
public sealed partial class AccessMatrix
{
    /// <summary>In every target matter's title; a refusal that shows it leaks what it refuses.</summary>
    public const string TitleMark = "权限矩阵";

    public static readonly string[] Roles = ["anon", "admin", "supervisor", "leader", "handler", "cadre"];
    public static readonly string[] Scopes = ["own", "sibling", "parent"];

    /// <summary>The units the people sit in: a township with a sibling township and its county, and the county's
    /// 督查室 (a department, so it oversees the county). Every matter is assigned by the county 督查室.</summary>
    public static readonly UnitInput[] ExtraUnits =
    [
        new("K-T2", "测试二镇", "K", "township"),
        new("K-DC", "测试县委督查室", "K", "department"),
    ];

    private static readonly Dictionary<string, string> HomeUnit = new()
    {
        ["anon"] = "K-T", ["admin"] = "K-T", ["supervisor"] = "K-DC", ["leader"] = "K-T", ["handler"] = "K-T", ["cadre"] = "K-T",
    };

    /// <summary>The unit of the target for a role and scope.</summary>
    public static string TargetUnit(string role, string scope) => scope switch
    {
        "own" => HomeUnit[role],
        "sibling" => "K-T2",
        "parent" => "K",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>The path of the table beside this file (tests run from the source tree).</summary>
    public static string TablePath([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "access-matrix.txt");

    /// <summary>One route the app answers: a method and a path (a page handler as <c>?handler=Name</c>).</summary>
    public sealed record RouteKey(string Method, string Route, bool Page)
    {
        /// <summary>Asked as a browser (the session cookie, forms with the antiforgery token) rather than with a token:
        /// everything outside <c>/api/</c>.</summary>
        public bool Browser => !Route.StartsWith("/api/", StringComparison.Ordinal);

        public override string ToString() => $"{Method} {Route}";
    }

    /// <summary>Every endpoint and page handler of the running app.</summary>
    public static async Task<IReadOnlyList<RouteKey>> EnumerateAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var source = services.GetRequiredService<EndpointDataSource>();
        var loader = services.GetRequiredService<PageLoader>();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        var found = new List<RouteKey>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            var page = endpoint.Metadata.GetMetadata<PageActionDescriptor>();
            if (page is not null)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                var handlers = compiled.HandlerMethods.Count == 0
                    ? [("GET", (string?)null)]
                    : compiled.HandlerMethods.Select(h => (h.HttpMethod.ToUpperInvariant(), h.Name));
                foreach (var (method, name) in handlers)
                {
                    Add(new RouteKey(method, name is null ? route : $"{route}?handler={name}", true));
                }

                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"];
            foreach (var method in methods)
            {
                Add(new RouteKey(method, route, false));
            }
        }

        return found;

        void Add(RouteKey key)
        {
            if (keys.Add(key.ToString()))
            {
                found.Add(key);
            }
        }
    }

    /// <summary>What a new route's target probably is, for the observed table only.</summary>
    public static string GuessResource(string route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Contains("{trackingCode}", StringComparison.Ordinal) ? "appeal"
            : route.StartsWith("/api/attachments/{id", StringComparison.Ordinal) || route.StartsWith("/attachments/{id", StringComparison.Ordinal) ? "attachment"
            : route.StartsWith("/api/matters/{id", StringComparison.Ordinal) || route.StartsWith("/matters/{id", StringComparison.Ordinal) ? "matter"
            : "-";
    }

    /// <summary>A row of the table.</summary>
    public sealed record Row(string Method, string Route, string Resource, IReadOnlyDictionary<string, string[]> Cells,
        IReadOnlyList<KeyValuePair<string, string>> Extras, string? Body, int Line)
    {
        public string Key => $"{Method} {Route}";

        public bool Scoped => Resource != "-";

        /// <summary>The expected answer of a role in a scope (index 0..2, or 0 for an unscoped row).</summary>
        public string Expected(string role, int scope) => Cells[role].Length == 1 ? Cells[role][0] : Cells[role][scope];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Reads the table: <c>METHOD route resource anon admin supervisor leader handler cadre [k=v …] [body=JSON]</c>.</summary>
    public static IReadOnlyList<Row> Read(string path)
    {
        var rows = new List<Row>();
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string? body = null;
            var bodyAt = line.IndexOf(" body=", StringComparison.Ordinal);
            if (bodyAt >= 0)
            {
                body = line[(bodyAt + " body=".Length)..];
                line = line[..bodyAt].TrimEnd();
            }

            var parts = Spaces().Split(line);
            if (parts.Length < 3 + Roles.Length)
            {
                throw new FormatException($"access-matrix.txt:{number}: expected METHOD route resource and {Roles.Length} cells");
            }

            var cells = new Dictionary<string, string[]>();
            for (var i = 0; i < Roles.Length; i++)
            {
                var codes = parts[3 + i].Split('/');
                if (codes.Length is not (1 or 3) || (parts[2] == "-" && codes.Length != 1))
                {
                    throw new FormatException($"access-matrix.txt:{number}: cell '{parts[3 + i]}' of {Roles[i]} must be one code or own/sibling/parent");
                }

                cells[Roles[i]] = codes;
            }

            var extras = parts.Skip(3 + Roles.Length).Select(p =>
            {
                var eq = p.IndexOf('=', StringComparison.Ordinal);
                return eq < 0 ? throw new FormatException($"access-matrix.txt:{number}: '{p}' is not name=value")
                    : new KeyValuePair<string, string>(p[..eq], p[(eq + 1)..]);
            }).ToList();
            rows.Add(new Row(parts[0], parts[1], parts[2], cells, extras, body, number));
        }

        return rows;
    }

    /// <summary>Whether a code is a refusal of access (which changes nothing, so the cell may share its target).</summary>
    public static bool IsDenial(string code) => code is "401" or "403" or "404" or "login";

    /// <summary>The answer as the table writes it: the status code, or <c>login</c> for a redirect to the login page.</summary>
    public static string Code(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        if (status is 301 or 302 or 303 or 307 && response.Headers.Location is { } location)
        {
            var path = location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
            return path.Equals("/login", StringComparison.OrdinalIgnoreCase) ? "login" : status.ToString(CultureInfo.InvariantCulture);
        }

        return status.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>The people (a token and a signed-in page session per role), the targets in each unit, and the requests.</summary>
public sealed partial class AccessMatrixRunner(DubanApp app)
{
    private readonly Dictionary<string, string?> _tokens = [];
    private readonly Dictionary<string, PageSession?> _sessions = [];
    private readonly Dictionary<string, PageSession> _spareSessions = [];
    private readonly Dictionary<string, string> _unitTokens = [];
    private readonly Dictionary<(string Kind, string Unit), string> _shared = [];
    private readonly Dictionary<string, string> _named = [];
    private Actor _countyOffice = null!;
    private HttpClient _anonymous = null!;

    public async Task PrepareAsync()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<UnitDirectory>();
            var tokens = scope.ServiceProvider.GetRequiredService<ApiTokens>();
            foreach (var unit in AccessMatrix.ExtraUnits)
            {
                await directory.SaveAsync(unit);
            }

            foreach (var role in AccessMatrix.Roles.Skip(1))
            {
                _tokens[role] = await tokens.CreateAsync(AccessMatrix.TargetUnit(role, "own"), role, "矩阵" + role);
            }

            foreach (var unit in new[] { "K-T", "K-T2", "K", "K-DC" })
            {
                _unitTokens[unit] = await tokens.CreateAsync(unit, "handler", "矩阵受理" + unit);
            }

            _unitTokens["K-DC-office"] = await tokens.CreateAsync("K-DC", "supervisor", "矩阵县督查室");

            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var office = await db.Units.SingleAsync(u => u.Code == "K-DC");
            _countyOffice = new Actor("test:县督查员", "县督查员", office.Id, new HashSet<Role> { Role.Supervisor });
        }

        _tokens["anon"] = null;
        _sessions["anon"] = null;
        _anonymous = PageSession.Browser(app);
        foreach (var role in AccessMatrix.Roles.Skip(1))
        {
            var parsed = WireEnum.TryParse<Role>(role, out var r) ? r : throw new InvalidOperationException(role);
            _sessions[role] = await PageSession.SignInAsync(app, AccessMatrix.TargetUnit(role, "own"), parsed);
            _spareSessions[role] = await PageSession.SignInAsync(app, AccessMatrix.TargetUnit(role, "own"), parsed);
        }
    }

    /// <summary>A matter led by the unit, assigned by the county 督查室.</summary>
    public async Task<string> MatterAsync(string unit, string title = AccessMatrix.TitleMark)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<AssignMatter>().ExecuteAsync(
            TestMatters.Assignment(unit) with { Title = $"{title} {unit}" }, _countyOffice);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> AttachmentAsync(string unit)
    {
        var matter = await MatterAsync(unit);
        using var client = app.Client(app.AdminToken);
        using var response = await client.PostAsync(new Uri($"/api/matters/{matter}/attachments", UriKind.Relative),
            AttachmentsApiTests.Files(("矩阵.pdf", AttachmentsApiTests.Pdf, "application/pdf")));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var id = long.Parse(matter, CultureInfo.InvariantCulture);
        var attachment = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Attachments.SingleAsync(a => a.MatterId == id);
        return attachment.Id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> AppealAsync(string unit)
    {
        using var client = app.Client(_unitTokens[unit]);
        using var response = await client.PostAsJsonAsync(new Uri("/api/appeals", UriKind.Relative), new
        {
            title = AccessMatrix.TitleMark + " 楼道灯坏了", content = "三单元楼道灯坏了一个月", category = "城乡建设", contactName = "张三", contactPhone = "13800138000", channel = "visit",
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("trackingCode").GetString()!;
    }

    private async Task<string> NoticeAsync(string unit)
    {
        var matter = long.Parse(await MatterAsync(unit), CultureInfo.InvariantCulture);
        await using var scope = app.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<NoticeDocuments>().DraftAsync(matter, new NoticeDraftInput("assignment"), _countyOffice);
        return id.ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> ExtensionAsync(string unit)
    {
        var matter = await MatterAsync(unit);
        using var client = app.Client(_unitTokens[unit]);
        using (var acknowledged = await client.PostAsJsonAsync(new Uri($"/api/matters/{matter}/acknowledge", UriKind.Relative), new { }))
        {
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        }

        using var response = await client.PostAsJsonAsync(new Uri($"/api/matters/{matter}/extensions", UriKind.Relative),
            new { stage = "complete", dueAt = "2024-12-31", reason = "需等供电所停电检修窗口" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    private async Task<string> ItemAsync(string unit)
    {
        using var client = app.Client(_unitTokens["K-DC-office"]);
        using var response = await client.PostAsJsonAsync(new Uri("/api/items", UriKind.Relative), new
        {
            title = AccessMatrix.TitleMark + " 优化营商环境三年行动", register = "key-work", leadUnit = unit,
            plan = new[] { new { name = "方案印发", dueAt = "2024-03-29" }, new { name = "总结验收", dueAt = "2024-12-31" } },
            cycle = new { kind = "monthly", day = 25 },
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("item").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The target of a kind in a unit: shared for reads, made anew for writes.</summary>
    public async Task<string> TargetAsync(string kind, string unit, bool fresh)
    {
        if (!fresh && _shared.TryGetValue((kind, unit), out var known))
        {
            return known;
        }

        var made = kind switch
        {
            "matter" => await MatterAsync(unit),
            "attachment" => await AttachmentAsync(unit),
            "appeal" => await AppealAsync(unit),
            "notice" => await NoticeAsync(unit),
            "extension" => await ExtensionAsync(unit),
            "item" => await ItemAsync(unit),
            _ => throw new InvalidOperationException($"unknown resource kind '{kind}'"),
        };
        if (!fresh)
        {
            _shared[(kind, unit)] = made;
        }

        return made;
    }

    /// <summary>Named fixtures the table refers to as <c>@name</c>, made once by their maker.</summary>
    public async Task<string> NamedAsync(string name, Func<string, Task<string>> maker)
    {
        if (!_named.TryGetValue(name, out var value))
        {
            _named[name] = value = await maker(name);
        }

        return value;
    }

    [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
    private static partial Regex Parameter();

    /// <summary>Sends the row's request as the role against the target (null for an unscoped row).</summary>
    public async Task<string> SendAsync(AccessMatrix.Row row, AccessMatrix.RouteKey key, string role, string? target,
        Func<string, Task<string>> resolve)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(key);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, raw) in row.Extras)
        {
            values[name] = await ExpandAsync(raw, target, resolve);
        }

        var routeAndHandler = key.Route.Split('?', 2);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var path = Parameter().Replace(routeAndHandler[0], m =>
        {
            var name = m.Groups[1].Value;
            used.Add(name);
            if (values.TryGetValue(name, out var value))
            {
                return Uri.EscapeDataString(value);
            }

            return target is not null && name is "id" or "trackingCode" ? Uri.EscapeDataString(target)
                : throw new InvalidOperationException($"{row.Key}: no value for route parameter {{{name}}} (add {name}=… to the row)");
        });
        var rest = values.Where(v => !used.Contains(v.Key)).ToList();
        var query = new List<string>();
        if (routeAndHandler.Length > 1)
        {
            query.Add(routeAndHandler[1]);
        }

        var isGet = key.Method is "GET";
        query.AddRange(rest.Where(v => isGet || v.Key.StartsWith('?')).Select(v => $"{v.Key.TrimStart('?')}={Uri.EscapeDataString(v.Value)}"));

        var url = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        using var request = new HttpRequestMessage(new HttpMethod(key.Method == "*" ? "GET" : key.Method), new Uri(url, UriKind.Relative));
        HttpClient client;
        if (key.Browser)
        {
            var session = key.Route.StartsWith("/logout", StringComparison.Ordinal) && role != "anon" ? _spareSessions[role] : _sessions[role];
            client = session?.Client ?? _anonymous;
            if (!isGet)
            {
                var form = rest.Where(v => !v.Key.StartsWith('?')).ToDictionary(v => v.Key, v => v.Value);
                if (session is not null)
                {
                    form["__RequestVerificationToken"] = session.Token;
                }

                request.Content = new FormUrlEncodedContent(form);
            }
        }
        else
        {
            client = _apiClient ??= new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
            if (_tokens[role] is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (!isGet && key.Method != "DELETE")
            {
                var body = row.Body is null ? "{}" : await ExpandAsync(row.Body, target, resolve);
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }
        }

        using var response = await client.SendAsync(request);
        var code = AccessMatrix.Code(response);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        if (code is "401" or "404" or "login" && Encoding.UTF8.GetString(bytes).Contains(AccessMatrix.TitleMark, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{key} as {role}: the refusal ({code}) shows a target's title (a 404 must look like a missing one)");
        }

        return code;
    }

    private HttpClient? _apiClient;

    [GeneratedRegex(@"\{(matter|target)\}|@(\w+)")]
    private static partial Regex Placeholder();

    private static async Task<string> ExpandAsync(string raw, string? target, Func<string, Task<string>> resolve)
    {
        var result = new StringBuilder();
        var last = 0;
        foreach (Match m in Placeholder().Matches(raw))
        {
            result.Append(raw, last, m.Index - last);
            result.Append(m.Groups[1].Success ? target ?? throw new InvalidOperationException($"'{raw}' needs a target") : await resolve(m.Groups[2].Value));
            last = m.Index + m.Length;
        }

        return result.Append(raw, last, raw.Length - last).ToString();
    }
}
