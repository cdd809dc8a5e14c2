using System.Text.Json;
using NodiRef.Admin.Features.Conversions;

namespace NodiRef.Admin.Api;

/// <summary>
/// The API's names for what the services call by their domain names (input and entity properties): the
/// snake_case the JSON bodies use, per dotted segment ("Payload.Amount" -> "payload.amount"). Error keys go
/// out through it (<see cref="ApiResponses"/>) and sort and include names come in through it (<see cref="ListQuery"/>).
/// </summary>
public static class ApiNames
{
    // Fields the API names with another word than the domain does; every other name follows the rule.
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        // The sender's idempotency key: event_id in the body (or the Idempotency-Key header).
        [nameof(ConversionInput.EventKey)] = "event_id",

        // A review's or a refund's note is the conversion's review note; the bodies call it note.
        [nameof(Conversion.ReviewNote)] = "note",
    };

    public static string Of(string domainName) =>
        domainName.Contains('.', StringComparison.Ordinal) ? string.Join('.', domainName.Split('.').Select(Segment)) : Segment(domainName);

    /// <summary>The domain name among <paramref name="domainNames"/> that the API calls <paramref name="apiName"/>, or null.</summary>
    public static string? Find(IEnumerable<string> domainNames, string apiName) =>
        domainNames.FirstOrDefault(name => Of(name) == apiName);

    /// <summary>Errors keyed by domain names, keyed by the API's names.</summary>
    public static Dictionary<string, string[]> Errors(IReadOnlyDictionary<string, string> errors)
    {
        var named = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (field, message) in errors)
        {
            named.TryAdd(Of(field), [message]);
        }

        return named;
    }

    private static string Segment(string name) => Exceptions.GetValueOrDefault(name) ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
