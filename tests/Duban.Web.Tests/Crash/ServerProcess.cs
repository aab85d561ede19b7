using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Duban.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Tests.Crash;

/// <summary>
/// The real web host as a child process (<c>dotnet Duban.Web.dll</c> from the test's build output), on one database and
/// attachments folder and a fixed port, so that it can be killed with SIGKILL and started again on the same data.
/// Its output is kept for the failure message (and for the demo's sign-ins banner).
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the process wrote so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits until the process has the database open — it starts migrating then (the SQLite file among its open files on
    /// Linux; a session of its own on PostgreSQL) — so that a kill timed from here lands in migrations or the demo
    /// rather than in the runtime's start-up. Returns how long that took.
    /// </summary>
    public async Task<TimeSpan> WaitDatabaseOpenAsync(string engine, string connectionString, TimeSpan bound)
    {
        var watch = Stopwatch.StartNew();
        var sqlite = engine == TestDatabase.Sqlite ? Path.GetFullPath(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource) : null;
        while (watch.Elapsed < bound && !_process.HasExited)
        {
            if (sqlite is not null ? HasOpen(sqlite) : await HasSessionAsync(connectionString, _started))
            {
                return watch.Elapsed;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The server did not open the database within {bound.TotalSeconds:0} s:\n{Output}");
    }

    private bool HasOpen(string file)
    {
        try
        {
            return new DirectoryInfo($"/proc/{_process.Id}/fd").EnumerateFileSystemInfos()
                .Any(fd => fd.LinkTarget is { } target && target.StartsWith(file, StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // the process is going or a descriptor closed while we looked
        }
    }

    /// <summary>A session on the database that began after this process started: the test's own connections (idle in
    /// their pool) and those of a killed predecessor began before.</summary>
    private static async Task<bool> HasSessionAsync(string connectionString, DateTimeOffset since)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_start > @since", connection);
        command.Parameters.AddWithValue("since", since);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>A port nobody listens on now (the OS picks it); reused by every start on this database.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The settings of a server on this database, as environment variables would give them.</summary>
    public static Dictionary<string, string?> Settings(string engine, string connectionString, string attachments) => new()
    {
        ["Database:Provider"] = engine,
        ["ConnectionStrings:Duban"] = connectionString,
        ["Attachments:Directory"] = attachments,
    };

    /// <summary>Starts the server; it creates the schema and the demo organisation itself when the database is empty.</summary>
    public static ServerProcess Start(IReadOnlyDictionary<string, string?> settings, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Duban.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Delivery__Enabled"] = "false"; // no mail server here
        start.Environment["DOTNET_gcServer"] = "0"; // two cores shared by several test processes
        start.Environment["DOTNET_TieredPGO"] = "0";

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; fails when the process exits or the bound passes.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan bound, Func<Task<string>>? diagnose = null)
    {
        var watch = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        while (watch.Elapsed < bound)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited ({_process.ExitCode}) before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return watch.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The server was not ready within {bound.TotalSeconds:0} s:\n{Output}\n{(diagnose is null ? "" : await diagnose())}");
    }

    /// <summary>On PostgreSQL, what every session on the database is doing (a start that hangs: on what lock?).</summary>
    public static async Task<string> SessionsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT pid, state, coalesce(wait_event_type, '') || ':' || coalesce(wait_event, ''), backend_start, left(query, 200) FROM pg_stat_activity "
            + "WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new StringBuilder("sessions:\n");
        while (await reader.ReadAsync())
        {
            lines.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"  {reader.GetInt32(0)} {reader.GetValue(1)} {reader.GetString(2)} since {reader.GetDateTime(3):HH:mm:ss} {reader.GetValue(4)}"));
        }

        return lines.ToString();
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>Duban's data services over the database (no web host, no migration), to look at what a run left.</summary>
    public static ServiceProvider DataServices(IReadOnlyDictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddDubanData()
            .BuildServiceProvider();
}
