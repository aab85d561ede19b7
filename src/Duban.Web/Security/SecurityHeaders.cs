using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Duban.Web.Security;

/// <summary>
/// Headers on every answer: a Content-Security-Policy that runs only this site's scripts and inline scripts carrying
/// the request's nonce (no inline event handlers, no eval), forbids framing, plugins and a changed base;
/// <c>nosniff</c>; <c>Referrer-Policy: same-origin</c>; <c>X-Frame-Options: DENY</c> for old browsers; and HSTS
/// when the request came over TLS (directly or through a trusted proxy). Styles keep <c>'unsafe-inline'</c>: pages
/// use <c>style</c> attributes for widths and colours, and styles cannot run code.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "duban:csp-nonce";

    /// <summary>This request's script nonce (made on first use).</summary>
    public static string Nonce(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items[NonceKey] is not string nonce)
        {
            nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing to escape in an attribute
            http.Items[NonceKey] = nonce;
        }

        return nonce;
    }

    /// <summary>The policy for a nonce.</summary>
    public static string Policy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // Set as the answer starts, so an error page or a status page re-executed later still carries them.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = Policy(Nonce(http));
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.XFrameOptions = "DENY";
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            return Task.CompletedTask;
        });
        await next(http);
    });
}

/// <summary>Gives every <c>&lt;script&gt;</c> in every page the request's CSP nonce, so inline scripts run and no page
/// has to ask for it.</summary>
[HtmlTargetElement("script")]
public sealed class ScriptNonceTagHelper : TagHelper
{
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>Before the framework's script helpers, which only read their own attributes.</summary>
    public override int Order => -1000;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Attributes.SetAttribute("nonce", SecurityHeaders.Nonce(ViewContext.HttpContext));
    }
}
