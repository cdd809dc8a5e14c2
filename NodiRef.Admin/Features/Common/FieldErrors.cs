namespace NodiRef.Admin.Features.Common;

/// <summary>
/// A dialog's field errors from the last failed save (field -> message, as a <see cref="Result{T}"/>
/// carries them). A field's error goes away as soon as that field is changed: it described the old
/// value, and keeping it would blame the new one.
/// </summary>
public sealed class FieldErrors
{
    private Dictionary<string, string> _errors = [];

    public int Count => _errors.Count;

    public void Set(IReadOnlyDictionary<string, string> errors) => _errors = new Dictionary<string, string>(errors);

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? For(string field) => _errors.GetValueOrDefault(field);

    public void Clear(string field) => _errors.Remove(field);
}
