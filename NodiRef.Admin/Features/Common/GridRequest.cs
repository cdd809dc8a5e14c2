namespace NodiRef.Admin.Features.Common;

/// <summary>A page of rows and the total count of rows matching the filters.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

public sealed record SortSpec(string Field, bool Descending);

/// <summary>Paging shared by every server-side grid and API list. Page is 0-based.</summary>
public record PageRequest(int PageIndex = 0, int PageSize = 25, SortSpec? Sort = null)
{
    public const int MaxPageSize = 200;

    // In long, then bounded: a far page number must not wrap around to an earlier (or negative) offset.
    public int Skip => (int)Math.Min((long)Math.Max(0, PageIndex) * Take, int.MaxValue);
    public int Take => Math.Clamp(PageSize, 1, MaxPageSize);
}
