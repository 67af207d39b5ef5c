using System.Globalization;
using System.Net;
using System.Text;

namespace Pmcm.Cli.Reports;

/// <summary>
/// The parts every Pmcm HTML page shares: one self-contained document (inline style and script, system fonts,
/// no network), escaping, number formatting, and sortable tables. A table with class <c>sortable</c> sorts on a
/// click on any header that has <c>data-sort="number"</c> or <c>data-sort="text"</c>, by each cell's
/// <c>data-value</c> (else its text); NaN sorts last either way; the header's <c>aria-sort</c> shows the order.
/// </summary>
public static class HtmlPage
{
    /// <summary>Marks a page as written by Pmcm, so a report folder can be replaced without asking.</summary>
    public const string GeneratorMeta = "<meta name=\"generator\" content=\"pmcm\">";

    public static void Begin(StringBuilder html, string title)
    {
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            {{GeneratorMeta}}
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Escape(title)}}</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.7em; text-align: left; vertical-align: middle; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            th[data-sort] { cursor: pointer; user-select: none; background: #f3f3f3; }
            th[aria-sort="ascending"]::after { content: " \25B2"; }
            th[aria-sort="descending"]::after { content: " \25BC"; }
            .legend span { display: inline-block; width: 1.2em; height: 0.4em; margin: 0 0.3em 0.15em 1em; vertical-align: middle; }
            .charts { display: flex; gap: 2em; flex-wrap: wrap; }
            img { image-rendering: pixelated; }
            </style>
            </head>
            <body>
            <h1>{{Escape(title)}}</h1>

            """);
    }

    public static void End(StringBuilder html) => html.Append("""
        <script>
        for (const table of document.querySelectorAll('table.sortable')) {
          const headers = Array.from(table.tHead.rows[0].cells);
          headers.forEach((th, column) => {
            if (!th.dataset.sort) return;
            th.addEventListener('click', () => {
              const ascending = th.getAttribute('aria-sort') !== 'ascending';
              const numeric = th.dataset.sort === 'number';
              const key = row => { const cell = row.cells[column]; return cell.dataset.value ?? cell.textContent.trim(); };
              const rows = Array.from(table.tBodies[0].rows);
              rows.sort((a, b) => {
                let x = key(a), y = key(b);
                if (numeric) {
                  x = parseFloat(x); y = parseFloat(y);
                  if (isNaN(x) || isNaN(y)) return isNaN(x) - isNaN(y);
                  return ascending ? x - y : y - x;
                }
                return ascending ? x.localeCompare(y) : y.localeCompare(x);
              });
              headers.forEach(h => h.removeAttribute('aria-sort'));
              th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              rows.forEach(row => table.tBodies[0].appendChild(row));
            });
          });
        }
        </script>
        </body>
        </html>

        """);

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A relative link to a file, each path segment percent-encoded.</summary>
    public static string Href(string relativePath) =>
        string.Join('/', relativePath.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>A value for display: fixed digits, or "n/a" for NaN.</summary>
    public static string Number(double value, int digits) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>A value for sorting: round-trip precision, "NaN" for NaN.</summary>
    public static string SortValue(double value) =>
        double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A numeric cell that displays <paramref name="digits"/> digits and sorts by the exact value.</summary>
    public static string NumberCell(double value, int digits) =>
        $"<td class=\"num\" data-value=\"{SortValue(value)}\">{Number(value, digits)}</td>";

    /// <summary>A two-column table of settings.</summary>
    public static void Settings(StringBuilder html, IEnumerable<(string Name, string Value)> settings)
    {
        html.Append("<table class=\"settings\">\n");
        foreach (var (name, value) in settings)
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>\n");
        html.Append("</table>\n");
    }
}
