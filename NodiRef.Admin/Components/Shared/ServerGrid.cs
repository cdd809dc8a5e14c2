using MudBlazor;

namespace NodiRef.Admin.Components.Shared;

/// <summary>
/// The one way a server-side MudDataGrid asks a service for rows (every list page's <c>ServerData</c>): the
/// grid's page, page size and sort go into the service's query, and the service's answer comes back as the
/// grid's data; a refusal or a failure shows as a snackbar and an empty page.
/// </summary>
public static class ServerGrid
{
    /// <summary>The event lists (clicks, referrals, conversions, rewards) sort by their time only.</summary>
    public static readonly IReadOnlyDictionary<string, string> ByTime = new Dictionary<string, string> { ["CreatedAt"] = "created_at" };

    /// <summary>For a grid whose columns do not sort.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsorted = new Dictionary<string, string>();

    /// <summary>Asks <paramref name="list"/> for the grid's page of rows matching <paramref name="query"/>.</summary>
    /// <param name="sortFields">Column property name -> the service's sort field; a column not listed does not sort.</param>
    public static async Task<GridData<T>> LoadAsync<T, TQuery>(GridState<T> state, TQuery query, IReadOnlyDictionary<string, string> sortFields,
        Func<TQuery, CancellationToken, Task<Result<Page<T>>>> list, ISnackbar snackbar, CancellationToken ct)
        where TQuery : PageRequest
    {
        var result = await list(Paged(query, state, sortFields), ct);
        if (!result.Succeeded)
        {
            snackbar.Add(result.Describe(), Severity.Error);
            return new GridData<T> { Items = [], TotalItems = 0 };
        }

        return new GridData<T> { Items = result.Value!.Items, TotalItems = result.Value.Total };
    }

    /// <summary><paramref name="query"/> for the grid's current page and sort.</summary>
    private static TQuery Paged<T, TQuery>(TQuery query, GridState<T> state, IReadOnlyDictionary<string, string> sortFields)
        where TQuery : PageRequest
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var spec = sort is not null && sortFields.TryGetValue(sort.SortBy, out var field) ? new SortSpec(field, sort.Descending) : null;
        // A record's copy keeps its type: the service's own query, with the grid's paging.
        return (TQuery)((PageRequest)query with { PageIndex = state.Page, PageSize = state.PageSize, Sort = spec });
    }
}
