using System.Reflection;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using NodiRef.Admin.Features.Common;
using NodiRef.Admin.Tests.Support;

namespace NodiRef.Admin.Tests.Features.Common;

/// <summary>
/// Every public operation of every service under <c>Features/</c> (found by reflection, so a new service or
/// method is included without anyone listing it) refuses nobody signed in before it reads its arguments.
/// A method that forgets <see cref="CurrentUser.DeniedAsync"/> fails here.
/// </summary>
public sealed class EveryOperationIsCheckedTests : ServiceTest
{
    /// <summary>Public by design, with the reason; everything else needs a permission.</summary>
    private static readonly Dictionary<string, string> Public = new(StringComparer.Ordinal)
    {
        ["ReferralService.CreateAsync"] = "sign-ups come from browsers (POST /v1/referral), like hits",
        ["ApiTokenService.AuthenticateAsync"] = "it is how a token becomes a caller in the first place",
    };

    public static IEnumerable<Type> Services() =>
        typeof(CurrentUser).Assembly.GetTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false, IsPublic: true }
            && t.Namespace?.StartsWith("NodiRef.Admin.Features.", StringComparison.Ordinal) == true
            && t.Name.EndsWith("Service", StringComparison.Ordinal));

    private static IEnumerable<MethodInfo> Operations(Type service) =>
        service.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(Task<>));

    [Fact]
    public void The_services_are_found()
    {
        var names = Services().Select(t => t.Name).ToList();

        // The scan would pass vacuously if it found nothing: the known services are all in it.
        Assert.Superset(new HashSet<string> { "PartnerService", "ProjectService", "ReferralLinkService", "UserService", "ApiTokenService", "ClickService", "ReferralService", "ConversionService", "RewardService", "RuleSetService" }, names.ToHashSet());
        Assert.True(Services().Sum(t => Operations(t).Count()) >= 50, "Fewer operations than expected were found.");
    }

    [Fact]
    public async Task Every_operation_of_every_service_refuses_nobody_signed_in()
    {
        // Something to see, so a list that answers empty was refused, not merely empty.
        var project = await GivenProjectAsync("Visible");
        await GivenLinkAsync((await GivenPartnerAsync("Visible partner", "visible", project.Id)).Id);
        App.CurrentUser.Set(new ClaimsPrincipal(new ClaimsIdentity()));
        var missing = new List<string>();
        foreach (var service in Services())
        {
            var instance = ActivatorUtilities.CreateInstance(App.Scope.ServiceProvider, service);
            foreach (var method in Operations(service))
            {
                var name = $"{service.Name}.{method.Name}";
                if (Public.ContainsKey(name))
                {
                    continue;
                }

                var outcome = await CallAsync(instance, method);
                if (outcome != "refused")
                {
                    missing.Add($"{name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))}): {outcome}");
                }
            }
        }

        Assert.True(missing.Count == 0, "These operations do not refuse nobody (open each with currentUser.DeniedAsync(Permissions.X)):\n" + string.Join("\n", missing));
    }

    /// <summary>Calls with placeholder arguments: the permission check must come before any of them is read.</summary>
    private static async Task<string> CallAsync(object instance, MethodInfo method)
    {
        var arguments = method.GetParameters().Select(p =>
            p.ParameterType == typeof(CancellationToken) ? Ct
            : p.HasDefaultValue ? p.DefaultValue
            : p.ParameterType == typeof(string) ? "x"
            : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType)
            : null).ToArray();
        object? value;
        try
        {
            var task = (Task)method.Invoke(instance, arguments)!;
            await task;
            value = task.GetType().GetProperty("Result")!.GetValue(task);
        }
        catch (Exception e) when (e is TargetInvocationException or NullReferenceException or ArgumentException or InvalidOperationException)
        {
            return $"threw {(e.InnerException ?? e).GetType().Name} instead of refusing";
        }

        return value switch
        {
            null => "answered null",
            _ when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(Result<>) =>
                (ResultStatus)value.GetType().GetProperty(nameof(Result<object>.Status))!.GetValue(value)! == ResultStatus.Forbidden ? "refused" : $"answered {value.GetType().GetProperty("Status")!.GetValue(value)}",
            System.Collections.ICollection { Count: 0 } => "refused", // lists for pickers answer empty
            _ => $"answered {value}",
        };
    }
}
