using System.Text.Json;

namespace NodiRef.Admin.Api;

public static class ApiEnum
{
    /// <summary>Parses an enum written as in the API's JSON ("active", "inactive"), never by number.</summary>
    public static bool TryParse(Type enumType, string value, out object result)
    {
        foreach (Enum candidate in Enum.GetValues(enumType))
        {
            if (string.Equals(Name(candidate), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                result = candidate;
                return true;
            }
        }

        result = Activator.CreateInstance(enumType)!;
        return false;
    }

    public static string Name(Enum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
