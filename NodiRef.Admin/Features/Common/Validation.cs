namespace NodiRef.Admin.Features.Common;

/// <summary>Collects field errors; the first error per field wins.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _conflicts = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;
    public IReadOnlyDictionary<string, string> Errors => _errors;

    public Validation Add(string field, string message)
    {
        _errors.TryAdd(field, message);
        return this;
    }

    public Validation Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    /// <summary>A value that is well formed but clashes with stored data (a duplicate external id or code).</summary>
    public Validation Conflict(string field, string message)
    {
        if (_errors.TryAdd(field, message))
        {
            _conflicts.Add(field);
        }

        return this;
    }

    public Validation Required(string? value, string field, string label, int maxLength, bool multiLine = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, $"{label} is required.");
        }

        return Check(value.Trim().Length <= maxLength, field, $"{label} must be at most {maxLength} characters.").Text(value, field, label, multiLine);
    }

    public Validation Optional(string? value, string field, string label, int maxLength, bool multiLine = false) =>
        string.IsNullOrEmpty(value)
            ? this
            : Check(value.Trim().Length <= maxLength, field, $"{label} must be at most {maxLength} characters.").Text(value, field, label, multiLine);

    /// <summary>Refuses characters no stored text may hold (<see cref="TextRules"/>); the dashboard's forms come through here too.</summary>
    public Validation Text(string? value, string field, string label, bool multiLine = false) =>
        TextRules.Problem(value, multiLine) is { } problem ? Add(field, $"{label} must not contain {problem}.") : this;

    /// <summary>Invalid (400) when any field is malformed; Conflict (409) when the only problems are clashes.</summary>
    public Result<T> ToResult<T>() =>
        _conflicts.Count == _errors.Count && _errors.Count > 0
            ? Result<T>.Conflict(_errors.Values.First(), errors: _errors)
            : Result<T>.Invalid(_errors);
}
