using System.Text.Json;

namespace NodiRef.Admin.Api;

public static class ApiEnum
{
    /// <summary>Parses an enum written as in the API's JSON ("active", "inactive"), never by number.</summary>
    public static bool TryParse<T>(string value, out T result)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }

        result = default;
        return false;
    }

    public static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
