namespace NodiRef.Admin.Features.Common;

public enum ResultStatus
{
    Ok,
    Invalid,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>Well-formed but cannot be processed as sent (an idempotency key reused for another request).</summary>
    Unprocessable,
}

/// <summary>
/// The outcome of a service operation. Expected failures (validation, conflicts, permissions) are
/// results, not exceptions: the dialogs show them inline and the API turns them into problem details.
/// </summary>
public sealed record Result<T>
{
    public ResultStatus Status { get; private init; }
    public T? Value { get; private init; }

    /// <summary>Field name -> message, for <see cref="ResultStatus.Invalid"/> and duplicate conflicts.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; private init; } = EmptyErrors;

    public string? Message { get; private init; }

    public bool Succeeded => Status == ResultStatus.Ok;

    private static readonly IReadOnlyDictionary<string, string> EmptyErrors = new Dictionary<string, string>();

    public static Result<T> Ok(T value) => new() { Status = ResultStatus.Ok, Value = value };

    public static Result<T> Invalid(IReadOnlyDictionary<string, string> errors) =>
        new() { Status = ResultStatus.Invalid, Errors = errors, Message = "Some fields are not valid." };

    public static Result<T> Invalid(string field, string message) =>
        Invalid(new Dictionary<string, string> { [field] = message });

    public static Result<T> NotFound(string message) => new() { Status = ResultStatus.NotFound, Message = message };

    /// <summary>A conflict with the stored state; <paramref name="current"/> carries the fresh values when known.</summary>
    public static Result<T> Conflict(string message, T? current = default, IReadOnlyDictionary<string, string>? errors = null) =>
        new() { Status = ResultStatus.Conflict, Message = message, Value = current, Errors = errors ?? EmptyErrors };

    public static Result<T> Forbidden(string message) => new() { Status = ResultStatus.Forbidden, Message = message };

    /// <summary>A refusal from <see cref="CurrentUser.DeniedAsync"/>, returned as it is: <c>return denied;</c>.</summary>
    public static implicit operator Result<T>(Denied denied) => Forbidden(denied.Message);

    public static Result<T> Unprocessable(string message) => new() { Status = ResultStatus.Unprocessable, Message = message };

    /// <summary>The same failure carried as a result of another type.</summary>
    public Result<TOther> As<TOther>() =>
        Succeeded
            ? throw new InvalidOperationException("A successful result cannot change its type.")
            : new Result<TOther> { Status = Status, Errors = Errors, Message = Message };

    /// <summary>One line for a snackbar or a log.</summary>
    public string Describe() =>
        Errors.Count > 0 ? string.Join(" ", Errors.Values) : Message ?? Status.ToString();
}
