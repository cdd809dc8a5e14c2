using System.Text.Json;
using System.Text.Json.Serialization;

namespace NodiRef.Admin.Api;

/// <summary>JSON of the private API: snake_case names and enum values, as the original API.</summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.Converters.Add(new OptionalConverterFactory());
        options.NumberHandling = JsonNumberHandling.Strict;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        options.AllowTrailingCommas = false;
        options.MaxDepth = 32;
        // A field the request does not have is a mistake (another API's name, a typo), never something to ignore.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}

/// <summary>
/// A PATCH field: absent (leave as is) is different from present and null (clear it).
/// </summary>
public readonly record struct Optional<T>(bool IsSet, T? Value) : IOptionalValue
{
    public T? Or(T? current) => IsSet ? Value : current;

    object? IOptionalValue.Boxed => IsSet ? Value : null;
}

/// <summary>An <see cref="Optional{T}"/> of any type, for checks that look at every field of a body (<see cref="ApiInput"/>).</summary>
public interface IOptionalValue
{
    object? Boxed { get; }
}

internal sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        // Called only when the property is present in the body, so "present" is all it has to record.
        public override bool HandleNull => true;

        // The inner converter reads within the same read state, so errors keep the property's JSON path.
        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(true, reader.TokenType == JsonTokenType.Null ? default : ((JsonConverter<T>)options.GetConverter(typeof(T))).Read(ref reader, typeof(T), options));

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
