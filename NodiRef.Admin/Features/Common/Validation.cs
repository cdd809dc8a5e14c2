namespace NodiRef.Admin.Features.Common;

/// <summary>Collects field errors; the first error per field wins.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;
    public IReadOnlyDictionary<string, string> Errors => _errors;

    public Validation Add(string field, string message)
    {
        _errors.TryAdd(field, message);
        return this;
    }

    public Validation Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    public Validation Required(string? value, string field, string label, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{label} is required.");
        }

        return Check(value.Trim().Length <= maxLength, field, $"{label} must be at most {maxLength} characters.");
    }

    public Validation Optional(string? value, string field, string label, int maxLength) =>
        string.IsNullOrEmpty(value)
            ? this
            : Check(value.Trim().Length <= maxLength, field, $"{label} must be at most {maxLength} characters.");

    public Result<T> ToResult<T>() => Result<T>.Invalid(_errors);
}
