using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace NodiRef.Admin.Features.Common;

/// <summary>
/// The circuit-backed half of <see cref="CurrentUser"/>: when a circuit opens (before its first render) the
/// circuit's user becomes the scope's current user, and every later change of the authentication state
/// (the revalidation signing a user out) replaces it.
/// </summary>
public sealed class CurrentUserCircuitHandler(AuthenticationStateProvider authentication, CurrentUser currentUser) : CircuitHandler, IDisposable
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        currentUser.Set((await authentication.GetAuthenticationStateAsync()).User);
        authentication.AuthenticationStateChanged += OnChanged;
    }

    public void Dispose() => authentication.AuthenticationStateChanged -= OnChanged;

    // A state that failed to load leaves nobody signed in: every check refuses.
    private void OnChanged(Task<AuthenticationState> state) =>
        _ = state.ContinueWith(
            t => currentUser.Set(t.IsCompletedSuccessfully ? t.Result.User : new ClaimsPrincipal(new ClaimsIdentity())),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
