using System.Globalization;
using System.Text;

namespace Pmcm.Core;

/// <summary>
/// Makes text taken from a file safe to put in a one-line error message: control, format, unassigned and
/// replacement characters become <c>\xNN</c>/<c>\uNNNN</c> escapes and long text is clipped, so a corrupt
/// header never prints raw bytes or floods the terminal.
/// </summary>
public static class Printable
{
    public static string Clip(string text, int maxLength = 60)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }
            if (IsSafe(c)) builder.Append(c);
            else builder.Append(c <= 0xff ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
        }
        return builder.ToString();
    }

    private static bool IsSafe(char c) => c == ' ' || c != '\uFFFD' && CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse
            or UnicodeCategory.Surrogate or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };
}
