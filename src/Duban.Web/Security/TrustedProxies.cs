using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Duban.Web.Security;

/// <summary>
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the reverse proxies named in
/// <c>Network:TrustedProxies</c> (addresses or CIDR networks, as a list or one comma-separated value; empty by
/// default, so no header is believed, not even from this machine). A bad entry stops start-up.
/// </summary>
public static class TrustedProxies
{
    public const string Key = "Network:TrustedProxies";

    /// <summary>The configured proxies as networks (a single address is a /32 or /128).</summary>
    /// <exception cref="InvalidOperationException">An entry is neither an address nor a CIDR network.</exception>
    public static IReadOnlyList<IPNetwork> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Key);
        var entries = section.Value is { } single
            ? single.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value?.Trim()).Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray();
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw new InvalidOperationException(
                    $"{Key} must list proxy addresses or networks such as 10.0.0.5 or 10.0.0.0/24, not '{entry}'.");
            }
        }

        return networks;
    }

    /// <summary>Configures the forwarded-headers middleware from <c>Network:TrustedProxies</c>, checked at start-up.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IConfiguration>((o, configuration) =>
            {
                var trusted = Read(configuration);
                // With both lists empty the middleware would believe every sender: no proxy configured, no header read.
                o.ForwardedHeaders = trusted.Count == 0 ? ForwardedHeaders.None : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // By default loopback is trusted; here only what is configured.
                o.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still holds the default loopback network
                o.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
                o.KnownProxies.Clear();
                foreach (var network in trusted)
                {
                    o.KnownIPNetworks.Add(network);
                }

                o.ForwardLimit = null; // walk back through every trusted proxy, stopping at the first untrusted address
            })
            .ValidateOnStart();
        return services;
    }
}
