using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace NodiRef.Admin.Data;

/// <summary>
/// Stores DateTime as UTC, to the microsecond (what PostgreSQL keeps; SQLite stores the same), and
/// reads it back as <see cref="DateTimeKind.Utc"/>.
/// </summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => ToMicroseconds(v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime()),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
{
    public const long TicksPerMicrosecond = TimeSpan.TicksPerMicrosecond;

    public static DateTime ToMicroseconds(DateTime value) => new(value.Ticks - (value.Ticks % TicksPerMicrosecond), value.Kind);
}
