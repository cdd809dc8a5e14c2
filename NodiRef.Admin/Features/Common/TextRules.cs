namespace NodiRef.Admin.Features.Common;

/// <summary>
/// What text the app stores: no C0 control characters (U+0000-U+001F; multi-line fields such as notes
/// and descriptions may hold tab, line feed and carriage return), no Unicode bidirectional overrides or
/// isolates (U+202A-U+202E, U+2066-U+2069) and no unpaired surrogates. NUL is refused by PostgreSQL and
/// cuts strings short elsewhere; the others let a name or an id look like something it is not in a
/// list, a log or an export.
/// </summary>
public static class TextRules
{
    /// <summary>Why <paramref name="value"/> is refused (for "{label} must not contain ..."), or null when it is fine.</summary>
    public static string? Problem(string? value, bool multiLine = false)
    {
        if (value is null)
        {
            return null;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ')
            {
                if (multiLine && c is '\t' or '\n' or '\r')
                {
                    continue;
                }

                return c == '\0'
                    ? "NUL characters (U+0000)"
                    : multiLine
                        ? "control characters (U+0000-U+001F other than tab and line breaks)"
                        : "control characters (U+0000-U+001F, including tabs and line breaks)";
            }

            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return "bidirectional text controls (U+202A-U+202E, U+2066-U+2069)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return "unpaired UTF-16 surrogates";
            }
        }

        return null;
    }

    /// <summary>The fields, by their API name, that hold several lines of text.</summary>
    public static bool IsMultiLine(string field) => field is "note" or "description";
}
