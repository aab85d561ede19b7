using System.Net;
using System.Net.Sockets;

namespace Duban.Web.Security;

/// <summary>The client's address as the limits and the sign-in throttle key it: the connection's address (which the
/// forwarded-headers middleware has already replaced when a trusted proxy sent the request), IPv4-mapped addresses as
/// IPv4, and an IPv6 address as its /64 network (one household or host gets a whole /64).</summary>
public static class ClientAddress
{
    public static string Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Key(http.Connection.RemoteIpAddress);
    }

    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
