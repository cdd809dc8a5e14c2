using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace NodiRef.Admin.Api;

/// <summary>
/// The one check of text that reaches an API route, whatever it will be used for: route values, query
/// parameters and every string of a JSON body (nested objects, PATCH fields and free-form JSON such as
/// <c>metadata</c> and <c>meta</c> included) follow <see cref="TextRules"/>, else the request is a 400
/// naming the field. It runs as an endpoint filter, after binding and before the handler, so nothing of a
/// refused request is read from or written to the database.
/// </summary>
public static class ApiInput
{
    /// <summary>Longest query parameter value accepted: filters and searches are short; a longer one is a mistake or an attack.</summary>
    public const int MaxQueryValueLength = 1000;

    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Shapes = new();

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new Validation();
        var request = context.HttpContext.Request;
        foreach (var (key, value) in request.RouteValues)
        {
            if (value is string text)
            {
                errors.Text(text, key, key);
            }
        }

        foreach (var (key, values) in request.Query)
        {
            if (TextRules.Problem(key) is not null)
            {
                // The name itself is unreadable: say so without repeating it.
                errors.Text(key, "query", "A query parameter name");
                continue;
            }

            foreach (var value in values)
            {
                errors.Text(value, key, key).Check(value is null || value.Length <= MaxQueryValueLength, key, $"{key} must be at most {MaxQueryValueLength} characters.");
            }
        }

        foreach (var argument in context.Arguments)
        {
            if (argument is not null && IsRequestBody(argument.GetType()))
            {
                Walk(argument, "", errors);
            }
        }

        return errors.IsValid ? await next(context) : ApiResponses.ValidationProblem(errors.Errors, "Some text contains characters that are not accepted.");
    }

    // Request records are the app's own types; services, HttpContext and primitives bound from the route are not bodies.
    private static bool IsRequestBody(Type type) =>
        type.IsClass && type.Namespace?.StartsWith("NodiRef.Admin.Features", StringComparison.Ordinal) == true && type.Name.EndsWith("Request", StringComparison.Ordinal);

    private static void Walk(object value, string prefix, Validation errors)
    {
        foreach (var (property, name) in Shapes.GetOrAdd(value.GetType(), Shape))
        {
            Check(property.GetValue(value), prefix + name, name, errors);
        }
    }

    private static void Check(object? value, string field, string name, Validation errors)
    {
        switch (value)
        {
            case null:
                break;
            case string text:
                errors.Text(text, field, field, TextRules.IsMultiLine(name));
                break;
            case JsonElement json:
                CheckJson(json, field, errors);
                break;
            case IOptionalValue optional:
                Check(optional.Boxed, field, name, errors);
                break;
            default:
                if (IsRequestBody(value.GetType()))
                {
                    Walk(value, field + ".", errors);
                }

                break;
        }
    }

    private static void CheckJson(JsonElement json, string field, Validation errors)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                errors.Text(json.GetString(), field, field);
                break;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    errors.Text(property.Name, field, $"{field} (a property name)");
                    CheckJson(property.Value, field, errors);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    CheckJson(item, field, errors);
                }

                break;
        }
    }

    private static (PropertyInfo, string)[] Shape(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)
            .Select(p => (p, JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)))
            .ToArray();
}
