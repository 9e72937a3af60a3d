using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace SyncContext.AspNetCore.Mvc;

/// <summary>
/// Adds <see cref="PageOffloadFilter"/> to MVC's global filters, from <c>AddSyncContext()</c>, so it is there whichever
/// of <c>AddSyncContext()</c> and <c>AddRazorPages()</c> comes first. It does nothing on a page <c>OffloadSync()</c> did
/// not mark, and nothing at all in an app without Razor Pages.
/// </summary>
internal sealed class PageOffloadSetup : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions options) => options.Filters.Add(new PageOffloadFilter());
}
