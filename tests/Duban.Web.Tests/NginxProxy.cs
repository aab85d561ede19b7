using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Duban.Tests.Crash;

namespace Duban.Tests;

/// <summary>
/// Debian's nginx on loopback in front of several instances, round robin, as a child process in the foreground: its
/// config (scripts/nginx-duban.conf filled in), pid, logs and temp folders in a folder of its own, killed and removed on
/// dispose. Every answer says which instance gave it (<c>X-Duban-Upstream</c>).
/// </summary>
public sealed class NginxProxy : IDisposable
{
    public const string Binary = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _folder;

    private NginxProxy(Process process, string folder, Uri address)
    {
        _process = process;
        _folder = folder;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    /// <summary>The instance that answered (host:port), from the header nginx adds.</summary>
    public static string Upstream(HttpResponseMessage response) =>
        response?.Headers.TryGetValues("X-Duban-Upstream", out var values) == true ? values.Single() : "";

    /// <summary>Starts nginx balancing over <paramref name="instances"/> and waits until it accepts connections.</summary>
    public static async Task<NginxProxy> StartAsync(params Uri[] instances)
    {
        Assert.True(File.Exists(Binary), $"nginx is expected at {Binary} (apt-get install nginx; test.sh installs it)");
        var folder = Path.Combine(Path.GetTempPath(), $"duban-nginx-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder); // 0755: a worker that dropped root's rights still reaches its temp folders
        var servers = string.Join(" ", instances.Select(u => string.Create(CultureInfo.InvariantCulture, $"server 127.0.0.1:{u.Port};")));
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "nginx-duban.conf"));
        for (var attempt = 1; ; attempt++)
        {
            var port = ServerProcess.FreePort();
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, template.Replace("@DIR@", folder, StringComparison.Ordinal)
                .Replace("@LISTEN@", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}"), StringComparison.Ordinal)
                .Replace("@SERVERS@", servers, StringComparison.Ordinal));
            var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log") })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start)!;
            var proxy = new NginxProxy(process, folder, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
            if (await proxy.ListeningAsync(port))
            {
                return proxy;
            }

            var log = proxy.ErrorLog;
            proxy.Stop();
            if (attempt == 3)
            {
                Directory.Delete(folder, recursive: true);
                throw new InvalidOperationException($"nginx did not start:\n{log}");
            }
        }
    }

    private async Task<bool> ListeningAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10) && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }

        return false; // exited (the port was taken meanwhile, a bad config) or never listened
    }

    /// <summary>nginx's own error log, for a failure message.</summary>
    public string ErrorLog
    {
        get
        {
            var file = Path.Combine(_folder, "error.log");
            return File.Exists(file) ? File.ReadAllText(file, Encoding.UTF8) : "";
        }
    }

    private void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // the master and its worker
        }

        _process.WaitForExit();
        _process.Dispose();
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_folder, recursive: true);
    }
}
