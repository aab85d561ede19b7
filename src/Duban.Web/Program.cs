using Duban.Data;
using Duban.Web;

// Settings and static files live beside the binary, so the app runs the same from any working directory;
// the working directory is where ./data/ (the SQLite file) goes.
var contentRootGiven = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
    || Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is not null;
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = contentRootGiven ? null : AppContext.BaseDirectory,
});
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddDubanData().AddDubanWeb();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UseDubanWeb();
await app.RunAsync();

/// <summary>The web host's entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
